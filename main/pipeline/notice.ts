// The text/plain notice that takes an infected (or unscannable) part's place, and its header lines.
// In size-preserving mode the notice body is padded to the removed body's exact byte length; when even
// the shortest wording does not fit, the full notice is used and the caller learns sizes changed.
import type { Removal } from './decide.ts';

export interface NoticeOptions {
  /** Pad the body to exactly this many bytes (size-preserving mode). */
  fitBytes?: number;
  /** The visible tag note, put inside the notice in size-preserving mode. */
  note?: string | null;
  eol: string;
}

export interface Notice {
  headerLines: string[];
  body: Buffer;
  /** The body has exactly `fitBytes` bytes. */
  fits: boolean;
}

function describe(r: Removal): { what: string; threats: string; short: string } {
  const name = r.unit.node.headers.filename;
  const what = name
    ? `the attachment "${name}"`
    : `part ${r.unit.node.part} (${r.unit.node.headers.contentType})`;
  const threats = [...new Set(r.unit.threats.map((t) => t.threat))].join(', ');
  return { what, threats, short: name ?? `part ${r.unit.node.part}` };
}

/** Wordings from the fullest to the shortest. */
function wordings(r: Removal, note: string | null | undefined, eol: string): string[] {
  const d = describe(r);
  const why =
    r.why === 'infected'
      ? `it contained ${d.threats}`
      : `it could not be scanned (${r.unit.unscannable.map((u) => u.reason).join('; ')})`;
  const full = `Mailward removed ${d.what} from this message: ${why}.${eol}The original message is kept in Mailward's quarantine.${eol}`;
  const label = r.why === 'infected' ? d.threats : 'unscannable';
  return [
    ...(note ? [full + eol + note + eol] : []),
    full,
    `Removed by Mailward: ${d.short} (${label})${eol}`,
    `[Mailward removed: ${label}]${eol}`,
    `[removed]`,
  ];
}

/** Spaces and line breaks that fill exactly `n` bytes, lines kept under 78 characters. */
function filler(n: number, eol: string): string {
  let out = '';
  let left = n;
  while (left > 0) {
    if (left > 76 + eol.length) {
      out += ' '.repeat(76) + eol;
      left -= 76 + eol.length;
    } else {
      out += ' '.repeat(left);
      left = 0;
    }
  }
  return out;
}

export function buildNotice(r: Removal, opts: NoticeOptions): Notice {
  const all = wordings(r, opts.note, opts.eol);
  let text = all[0];
  let fits = false;
  if (opts.fitBytes !== undefined) {
    const fitting = all.find((w) => Buffer.byteLength(w) <= opts.fitBytes!);
    if (fitting !== undefined) {
      text = fitting + filler(opts.fitBytes - Buffer.byteLength(fitting), opts.eol);
      fits = true;
    }
  }
  const body = Buffer.from(text, 'utf8');
  const ascii = !/[^\x00-\x7f]/.test(text);
  // Size-preserving mode has few bytes to spare: us-ascii is text/plain's default charset.
  const preserve = opts.fitBytes !== undefined;
  const headerLines = [
    ascii
      ? preserve
        ? 'Content-Type: text/plain'
        : 'Content-Type: text/plain; charset=us-ascii'
      : 'Content-Type: text/plain; charset=utf-8',
  ];
  if (!ascii) headerLines.push('Content-Transfer-Encoding: 8bit');
  // Outside size-preserving mode there is room to say what the part was.
  if (opts.fitBytes === undefined) {
    headerLines.push('Content-Disposition: inline');
    const d = describe(r);
    headerLines.push(
      `X-Mailward-Removed: ${r.why}; ${JSON.stringify(d.short).replace(/[^\x20-\x7e]/g, '?')}`,
    );
  }
  return { headerLines, body, fits };
}

/** The tag note as a footer or a last part: ASCII lines of at most 76 characters. */
export function wrapNote(note: string, eol: string): string {
  const out: string[] = [];
  // The note part is declared us-ascii: anything else (a file name in a reason) becomes "?".
  for (const para of note.replace(/[^\x20-\x7e\r\n]/g, '?').split(/\r?\n/)) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && line.length + 1 + word.length > 76) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.join(eol) + eol;
}
