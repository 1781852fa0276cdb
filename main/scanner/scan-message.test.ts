// The scanner on real .eml samples (test/fixtures): each verdict, its name and where it was found.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings/index.ts';
import { buildLargeMessage, buildSamples, fakeExe } from '../../test/fixtures/samples.ts';
import { attachmentPart, headerBlock, multipartBody, textPart } from '../../test/fixtures/mime.ts';
import { buildZip } from '../../test/fixtures/zip.ts';
import { defaultBackends } from './backends.ts';
import { scanMessage } from './scan-message.ts';
import type { ScanBackend, ScanLimits } from './types.ts';

const samples = buildSamples();
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mailward-scan-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const limits = (over: Partial<ScanLimits> = {}): ScanLimits => ({
  ...defaultSettings().scanner.limits,
  ...over,
});
const backends = defaultBackends(tempDir());
const scan = (raw: Buffer, over: Partial<ScanLimits> = {}, b: ScanBackend[] = backends) =>
  scanMessage(raw, { backends: b, limits: limits(over) }).then((s) => s.result);

function attachmentMessage(filename: string, data: Buffer): Buffer {
  const head = headerBlock({ id: filename, from: 'T <t@example.com>', subject: filename }, [
    'Content-Type: multipart/mixed; boundary="b"',
  ]);
  return Buffer.concat([
    Buffer.from(head),
    multipartBody('b', [
      textPart('see attachment'),
      attachmentPart(filename, 'application/octet-stream', data),
    ]),
  ]);
}

describe('scanner verdicts on the samples', () => {
  it.each([
    ['eicarBase64Attachment', '2', undefined],
    ['eicarInZip', '2', '2/archive.zip/eicar.com'],
    ['eicarInNestedZip', '2', '2/outer.zip/inner.zip/eicar.com'],
    ['eicarInForwardedMessage', '2.2', undefined],
    ['eicarQuotedPrintableInline', '1', undefined],
    ['eicarUuencoded', '1', '1/eicar.com'],
    ['malformedMime', '3', undefined],
  ] as const)('%s is infected with Eicar-Test-Signature in part %s', async (name, part, detail) => {
    const r = await scan(samples[name]);
    expect(r.verdict).toBe('infected');
    expect(r.threats).toEqual(['Eicar-Test-Signature']);
    const hit = r.parts.find((p) => p.verdict.kind === 'infected');
    expect(hit?.part).toBe(part);
    expect(hit?.detail).toBe(detail);
  });

  it('clean samples are clean, with IMAP part numbers', async () => {
    const plain = await scan(samples.cleanPlain);
    expect(plain.verdict).toBe('clean');
    expect(plain.parts.map((p) => p.part)).toEqual(['1']);
    const pdf = await scan(samples.cleanHtmlWithPdf);
    expect(pdf.verdict).toBe('clean');
    expect(pdf.parts.map((p) => p.part)).toEqual(['1.1', '1.2', '2']);
  });

  it.each([
    ['doubleExtension', 'Heuristic.DoubleExtension'],
    ['scriptAttachment', 'Heuristic.ScriptAttachment'],
    ['officeMacro', 'Heuristic.OfficeMacro'],
  ] as const)('%s is named %s and marked heuristic', async (name, threat) => {
    const r = await scan(samples[name]);
    expect(r.threats).toEqual([threat]);
    expect(r.parts[1].verdict).toEqual({ kind: 'infected', threat, heuristic: true });
  });

  it('names executables, shortcuts, disk images and renamed executables', async () => {
    expect((await scan(attachmentMessage('setup.exe', Buffer.from('x')))).threats).toEqual([
      'Heuristic.ExecutableAttachment',
    ]);
    expect((await scan(attachmentMessage('Invoice.lnk', Buffer.from('x')))).threats).toEqual([
      'Heuristic.ShortcutAttachment',
    ]);
    expect((await scan(attachmentMessage('disk.iso', Buffer.from('x')))).threats).toEqual([
      'Heuristic.DiskImageAttachment',
    ]);
    expect((await scan(attachmentMessage('photo.jpg', fakeExe()))).threats).toEqual([
      'Heuristic.ExtensionMismatch',
    ]);
    const zipped = buildZip([{ name: 'invoice.pdf     .scr', data: fakeExe() }]);
    expect((await scan(attachmentMessage('docs.zip', zipped))).threats).toEqual([
      'Heuristic.DoubleExtension',
    ]);
  });

  it('finds macros in an old-style OLE document and leaves a plain one alone', async () => {
    const ole = (stream: string) =>
      Buffer.concat([
        Buffer.from('d0cf11e0a1b11ae1', 'hex'),
        Buffer.alloc(100),
        Buffer.from(stream, 'utf16le'),
      ]);
    expect((await scan(attachmentMessage('budget.xls', ole('_VBA_PROJECT')))).threats).toEqual([
      'Heuristic.OfficeMacro',
    ]);
    expect((await scan(attachmentMessage('budget.xls', ole('Workbook')))).verdict).toBe('clean');
  });

  it('ends a zip bomb in unscannable, naming the limit', async () => {
    const r = await scan(samples.zipBomb);
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toMatch(/^2\/bomb\.zip\/zeros-0\.bin: expands \d+x .*archiveExpansionRatio/);
  });

  it('stops inflating a bomb whose headers lie about its sizes', async () => {
    const r = await scan(samples.zipBombLyingSizes);
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toMatch(/expands more than 100x although it declares 1024 bytes/);
  });

  it('reports the total archive size limit', async () => {
    const r = await scan(samples.zipBomb, {
      archiveExpansionRatio: 100000,
      archiveTotalSize: 40 * 1024 * 1024,
    });
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toMatch(/archiveTotalSize/);
  });

  it('says an encrypted archive member cannot be scanned', async () => {
    const r = await scan(samples.encryptedZip);
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable).toEqual(['2/secret.zip/document.pdf: encrypted archive member, cannot be scanned']);
  });

  it('honours the archive depth limit', async () => {
    const r = await scan(samples.eicarInNestedZip, { archiveDepth: 1 });
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toMatch(/inner\.zip: nested deeper than scanner\.limits\.archiveDepth \(1\)/);
  });

  it('does not scan a message over maxMessageSize and says so', async () => {
    const r = await scan(samples.eicarBase64Attachment, { maxMessageSize: 700 });
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toMatch(/larger than scanner\.limits\.maxMessageSize/);
  });

  it('notes malformed structure and still scans every part', async () => {
    const r = await scan(samples.malformedMime);
    expect(r.problems).toEqual(expect.arrayContaining(['part top: missing closing boundary']));
    expect(r.parts.map((p) => p.part)).toEqual(['1', '2', '3']);
  });

  it('finds EICAR at the end of a 30 MB message and passes the clean one', async () => {
    expect((await scan(buildLargeMessage(30e6))).verdict).toBe('clean');
    const r = await scan(buildLargeMessage(30e6, { infected: true }));
    expect(r.threats).toEqual(['Eicar-Test-Signature']);
    expect(r.parts.map((p) => p.part)).toEqual(['1', '2', '3']);
  });

  it('turns a failing backend into an unscannable verdict', async () => {
    const broken: ScanBackend = {
      name: 'broken',
      scan: async () => Promise.reject(new Error('socket closed')),
    };
    const r = await scan(samples.cleanPlain, {}, [broken]);
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable[0]).toBe('1: scanner broken failed: socket closed');
  });

  it('turns a backend that never answers into the time limit verdict', async () => {
    const stuck: ScanBackend = { name: 'stuck', scan: () => new Promise(() => {}) };
    const r = await scan(samples.cleanHtmlWithPdf, { maxScanTimeMs: 100 }, [stuck]);
    expect(r.verdict).toBe('unscannable');
    expect(r.unscannable).toEqual(['scan time limit scanner.limits.maxScanTimeMs (100 ms) reached']);
  });
});

describe('signature files in DATA_DIR/signatures', () => {
  const pdfData = Buffer.from('%PDF-1.4 evil payload 0123456789 trailer');
  const dataDir = tempDir();
  mkdirSync(join(dataDir, 'signatures'));
  const sha = createHash('sha256').update(pdfData).digest('hex');
  writeFileSync(
    join(dataDir, 'signatures', 'local.hsb'),
    `# my hashes\n${sha}:${pdfData.length}:Local.Hash.Test\nnot-a-line\n`,
  );
  writeFileSync(
    join(dataDir, 'signatures', 'local.ndb'),
    'Local.Pattern.Test:0:*:6576696c{1-3}7061??6c6f6164\nLocal.Offset.Test:0:0:4d5a\n',
  );
  const warnings: string[] = [];
  const sigBackends = defaultBackends(dataDir, (w) => warnings.push(w));

  it('matches a SHA-256 hash signature and warns about the bad line', async () => {
    const r = await scanMessage(attachmentMessage('report.pdf', pdfData), {
      backends: sigBackends,
      limits: limits(),
    });
    expect(r.result.threats).toEqual(['Local.Hash.Test']);
    expect(warnings).toEqual(['local.hsb:3: expected SHA256:Size:Name; line skipped']);
  });

  it('matches a byte pattern with wildcards and an offset pattern', async () => {
    const data = Buffer.from('xx evil  payload yy');
    const r = await scanMessage(attachmentMessage('notes.txt', data), {
      backends: sigBackends,
      limits: limits(),
    });
    expect(r.result.threats).toEqual(['Local.Pattern.Test']);
    const mz = await scanMessage(attachmentMessage('a.bin', Buffer.from('MZ....')), {
      backends: sigBackends,
      limits: limits(),
    });
    expect(mz.result.threats).toEqual(['Local.Offset.Test']);
  });

  it('picks up a signature file dropped in while running', async () => {
    const msg = attachmentMessage('data.bin', Buffer.from('a brand new threat'));
    expect((await scanMessage(msg, { backends: sigBackends, limits: limits() })).result.verdict).toBe(
      'clean',
    );
    writeFileSync(join(dataDir, 'signatures', 'new.ndb'), 'Local.New.Test:0:*:6272616e64206e6577\n');
    await new Promise((r) => setTimeout(r, 3100)); // the store looks at the directory every 3 s
    expect((await scanMessage(msg, { backends: sigBackends, limits: limits() })).result.threats).toEqual([
      'Local.New.Test',
    ]);
  });
});
