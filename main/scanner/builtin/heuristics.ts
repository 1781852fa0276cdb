// Heuristics of the built-in backend: what an attachment is called and what it really is.
// Each finding is named `Heuristic.<what>` so users and the log can tell them apart.
import type { ScanObject } from '../types.ts';

const EXECUTABLE = [
  'exe',
  'scr',
  'com',
  'pif',
  'bat',
  'cmd',
  'msi',
  'msp',
  'cpl',
  'jar',
  'dll',
  'reg',
  'appx',
  'msix',
];
const SCRIPT = ['js', 'jse', 'vbs', 'vbe', 'wsf', 'wsh', 'hta', 'ps1', 'psm1', 'sct', 'vb', 'mjs'];
const SHORTCUT = ['lnk', 'scf', 'url', 'library-ms', 'settingcontent-ms'];
const DISK_IMAGE = ['iso', 'img', 'vhd', 'vhdx'];
/** Names people trust: a second-to-last extension from here before a risky one is a disguise. */
const DOCUMENT = [
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'rtf',
  'txt',
  'csv',
  'odt',
  'ods',
  'odp',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'heic',
  'zip',
  'rar',
  '7z',
  'htm',
  'html',
  'mp3',
  'mp4',
  'wav',
  'avi',
  'mov',
  'eml',
  'xml',
  'json',
];

const RISKY: [string[], string][] = [
  [EXECUTABLE, 'Heuristic.ExecutableAttachment'],
  [SCRIPT, 'Heuristic.ScriptAttachment'],
  [SHORTCUT, 'Heuristic.ShortcutAttachment'],
  [DISK_IMAGE, 'Heuristic.DiskImageAttachment'],
];

/** The lower-case last path segment of a name (archive members carry folders, either slash). */
const baseName = (filename: string) => (filename.replace(/\\/g, '/').split('/').pop() ?? '').toLowerCase();

function extensions(filename: string): string[] {
  // "invoice.pdf      .exe": padding before the real extension is part of the trick.
  const parts = baseName(filename)
    .replace(/\s+\./g, '.')
    .replace(/[\s.]+$/, '')
    .split('.');
  return parts.length > 1 ? parts.slice(1) : [];
}

/** Executable content: Windows PE (MZ), ELF, Mach-O. */
function executableContent(data: Buffer): boolean {
  if (data.length < 4) return false;
  if (data[0] === 0x4d && data[1] === 0x5a) return true;
  const magic = data.readUInt32BE(0);
  return (
    magic === 0x7f454c46 ||
    magic === 0xfeedface ||
    magic === 0xfeedfacf ||
    magic === 0xcefaedfe ||
    magic === 0xcffaedfe
  );
}

const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const VBA_PROJECT_STREAM = Buffer.from('_VBA_PROJECT', 'utf16le');

/** Office macros: an OOXML package's vbaProject.bin, or an OLE document with a VBA project stream. */
function hasMacros(o: ScanObject): boolean {
  if (o.inArchive && o.filename && baseName(o.filename) === 'vbaproject.bin') return true;
  return o.data.subarray(0, 8).equals(OLE_MAGIC) && o.data.includes(VBA_PROJECT_STREAM);
}

/** The first heuristic that fires for this object, or undefined. */
export function heuristicFinding(o: ScanObject): string | undefined {
  const exts = o.filename ? extensions(o.filename) : [];
  const last = exts[exts.length - 1];
  const risky = last ? RISKY.find(([list]) => list.includes(last))?.[1] : undefined;
  if (risky && exts.length >= 2 && DOCUMENT.includes(exts[exts.length - 2]))
    return 'Heuristic.DoubleExtension';
  if (last && DOCUMENT.includes(last) && executableContent(o.data)) return 'Heuristic.ExtensionMismatch';
  if (risky) return risky;
  if (hasMacros(o)) return 'Heuristic.OfficeMacro';
  return undefined;
}
