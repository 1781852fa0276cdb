// The cleaned messages a user receives: no EICAR survives, a notice names the threat, tags per settings,
// clean parts byte-identical and numbered as before; originals in quarantine; one detection record each.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../shared/settings/index.ts';
import {
  buildLargeMessage,
  buildSamples,
  containsEicar,
  type SampleName,
} from '../../test/fixtures/samples.ts';
import { DetectionsLog } from '../detections/log.ts';
import type { DetectionRecord } from '../events.ts';
import { createLogger } from '../log.ts';
import { Quarantine } from '../quarantine/store.ts';
import { defaultBackends } from '../scanner/backends.ts';
import { parseMessage, walkNodes, type MimeNode } from '../scanner/mime/tree.ts';
import type { ScanBackend } from '../scanner/types.ts';
import { createPipeline } from './pipeline.ts';
import type { MessageContext } from './types.ts';
import { attachmentPart, headerBlock, multipartBody, textPart } from '../../test/fixtures/mime.ts';
import { buildZip } from '../../test/fixtures/zip.ts';

const samples = buildSamples();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(edit: (s: Settings) => void = () => {}, backends?: ScanBackend[]) {
  const dir = mkdtempSync(join(tmpdir(), 'mailward-pipeline-'));
  dirs.push(dir);
  const settings = defaultSettings();
  edit(settings);
  const detections = new DetectionsLog(dir);
  const quarantine = new Quarantine(dir);
  const events: DetectionRecord[] = [];
  const run = createPipeline({
    settings: () => settings,
    backends: backends ?? defaultBackends(dir),
    quarantine,
    detections,
    log: createLogger(),
    onDetection: (r) => events.push(r),
  });
  return { dir, detections, quarantine, events, run };
}

const pop3: MessageContext = { protocol: 'pop3', server: 'mail.example.com:110', user: 'alice' };
const imap: MessageContext = { protocol: 'imap', server: 'mail.example.com:143', preserveSize: true };

/** Leaf parts by IMAP number with their exact bytes (headers and body). */
function leaves(raw: Buffer): Map<string, { node: MimeNode; bytes: string; body: string }> {
  const map = new Map();
  for (const n of walkNodes(parseMessage(raw)))
    if (n.children.length === 0)
      map.set(n.part, {
        node: n,
        bytes: raw.toString('latin1', n.start, n.end),
        body: raw.toString('latin1', n.bodyStart, n.end),
      });
  return map;
}

const INFECTED: [SampleName, string][] = [
  ['eicarBase64Attachment', '2'],
  ['eicarInZip', '2'],
  ['eicarInNestedZip', '2'],
  ['eicarInForwardedMessage', '2.2'],
  ['eicarQuotedPrintableInline', '1'],
  ['eicarUuencoded', '1'],
  ['malformedMime', '3'],
  ['doubleExtension', '2'],
];

describe('cleaning infected messages (default settings)', () => {
  it.each(INFECTED)('%s: part %s replaced by a notice, the rest unchanged', async (name, part) => {
    const { run } = setup();
    const raw = samples[name];
    const r = await run(raw, pop3);
    expect(r.modified).toBe(true);
    expect(await containsEicar(r.output)).toBe(false);
    const parsed = await simpleParser(r.output);
    expect(r.output.toString('latin1')).toMatch(
      /^X-Mailward-Scan: infected; threats="[^"]+"; action=removed\r\n/,
    );
    expect(parsed.subject).toMatch(/ \[detection (Eicar-Test-Signature|Heuristic\.DoubleExtension)\]$/);
    const before = leaves(raw);
    const after = leaves(r.output);
    const threat = r.scan.threats[0];
    expect(after.get(part)!.body).toContain(`: it contained ${threat}.`);
    for (const [n, leaf] of before) {
      if (n === part) continue;
      expect(after.get(n)?.bytes, `part ${n} unchanged`).toBe(leaf.bytes);
    }
  });

  it('names the removed file in the notice and appends the tag note as a new last part', async () => {
    const { run } = setup();
    const r = await run(samples.eicarInZip, pop3);
    const parsed = await simpleParser(r.output);
    expect(parsed.text).toContain(
      'Mailward removed the attachment "archive.zip" from this message: it contained Eicar-Test-Signature.',
    );
    const after = leaves(r.output);
    expect([...after.keys()]).toEqual(['1', '2', '3']);
    expect(after.get('3')!.body).toContain('Mailward found Eicar-Test-Signature in this message');
  });

  it('keeps the original in quarantine (0600) and logs one detection record', async () => {
    const { run, quarantine, detections, events, dir } = setup();
    const r = await run(samples.eicarBase64Attachment, pop3);
    expect(r.quarantineId).toBeDefined();
    const file = join(dir, 'quarantine', `${r.quarantineId}.eml`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'quarantine', `${r.quarantineId}.json`)).mode & 0o777).toBe(0o600);
    expect(statSync(detections.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).equals(samples.eicarBase64Attachment)).toBe(true);
    expect(quarantine.meta(r.quarantineId!)).toMatchObject({
      threats: ['Eicar-Test-Signature'],
      parts: [{ part: '2', filename: 'eicar.com', threat: 'Eicar-Test-Signature' }],
      from: 'Eve Sender <eve@bad.example>',
      subject: 'Your invoice (base64 attachment)',
    });
    const [record] = detections.list();
    expect(record).toMatchObject({
      threat: 'Eicar-Test-Signature',
      action: 'removed',
      protocol: 'pop3',
      quarantineId: r.quarantineId,
    });
    expect(events).toEqual([record]);
    expect(r.detectionIds).toEqual([record.id]);
  });
});

describe('clean and unscannable messages', () => {
  it.each(['cleanPlain', 'cleanHtmlWithPdf'] as const)('%s passes byte-identical', async (name) => {
    const r = await setup().run(samples[name], pop3);
    expect(r.modified).toBe(false);
    expect(r.output.equals(samples[name])).toBe(true);
  });

  it('passes a clean 30 MB message byte-identical', async () => {
    const raw = buildLargeMessage(30e6);
    const r = await setup().run(raw, pop3);
    expect(r.output).toBe(raw);
  });

  it('tags clean mail when tagMessages is all', async () => {
    const r = await setup((s) => (s.webAndEmail.emailClientProtection.alerts.tagMessages = 'all')).run(
      samples.cleanPlain,
      pop3,
    );
    expect(r.output.toString('latin1')).toMatch(/^X-Mailward-Scan: clean\r\n/);
    expect((await simpleParser(r.output)).text).toMatch(
      /-- \nMailward checked this message: no threats were found\.\n$/,
    );
  });

  it('delivers a zip bomb intact with a warning tag', async () => {
    const { run, detections } = setup();
    const r = await run(samples.zipBomb, pop3);
    const text = r.output.toString('latin1');
    expect(text).toMatch(
      /^X-Mailward-Scan: unscannable; reason="2\/bomb.zip\/zeros-0.bin: expands \d+x[^"]*"; action=delivered\r\n/,
    );
    expect(leaves(r.output).get('2')!.bytes).toBe(leaves(samples.zipBomb).get('2')!.bytes);
    expect(leaves(r.output).get('3')!.body).toContain('Mailward could not scan all of this message');
    expect(detections.list()).toEqual([]);
  });

  it('keeps the scan header one ASCII line whatever the archive member is called', async () => {
    const zip = buildZip([
      { name: 'résumé "final"\r\nX-Evil: 1.pdf', data: Buffer.alloc(10), method: 'store', encrypted: true },
    ]);
    const head = headerBlock({ id: 'odd', from: 'O <o@example.com>', subject: 'odd names' }, [
      'Content-Type: multipart/mixed; boundary="b"',
    ]);
    const raw = Buffer.concat([
      Buffer.from(head),
      multipartBody('b', [textPart('hi'), attachmentPart('cv.zip', 'application/zip', zip)]),
    ]);
    const r = await setup().run(raw, pop3);
    const first = r.output.toString('latin1').split('\r\n')[0];
    expect(first).toBe(
      'X-Mailward-Scan: unscannable; reason="2/cv.zip/r?sum? \\"final\\"??X-Evil: 1.pdf: encrypted archive member, cannot be scanned"; action=delivered',
    );
    expect(r.output.toString('latin1')).not.toMatch(/^X-Evil/m);
  });

  it('removes what cannot be scanned when onUnscannable is removePart', async () => {
    const r = await setup((s) => (s.scanner.onUnscannable = 'removePart')).run(samples.encryptedZip, pop3);
    expect(leaves(r.output).get('2')!.body).toContain(
      'it could not be scanned (2/secret.zip/document.pdf: encrypted archive member',
    );
    expect(r.quarantineId).toBeDefined();
  });

  it('delivers mail tagged unscannable when the scanner fails', async () => {
    const broken: ScanBackend = {
      name: 'clamd',
      scan: async () => Promise.reject(new Error('connection refused')),
    };
    const r = await setup(() => {}, [broken]).run(samples.cleanPlain, pop3);
    expect(r.output.toString('latin1')).toMatch(
      /^X-Mailward-Scan: unscannable; reason="1: scanner clamd failed: connection refused"/,
    );
    expect(r.output.includes(samples.cleanPlain.subarray(samples.cleanPlain.indexOf('\r\n\r\n')))).toBe(true);
  });
});

describe('settings', () => {
  it('only tags heuristic findings when heuristics is tagOnly', async () => {
    const { run, detections } = setup((s) => (s.webAndEmail.emailClientProtection.heuristics = 'tagOnly'));
    const r = await run(samples.doubleExtension, pop3);
    expect(r.output.toString('latin1')).toMatch(
      /^X-Mailward-Scan: infected; threats="Heuristic.DoubleExtension"; action=tagged/,
    );
    expect(leaves(r.output).get('2')!.bytes).toBe(leaves(samples.doubleExtension).get('2')!.bytes);
    expect(detections.list()[0].action).toBe('tagged');
  });

  it('encodes a non-ASCII subject template and accepts %VIRUSNAME%', async () => {
    const r = await setup(
      (s) => (s.webAndEmail.emailClientProtection.alerts.subjectTemplate = '[virus détecté: %VIRUSNAME%]'),
    ).run(samples.eicarBase64Attachment, pop3);
    expect(r.output.toString('latin1')).toMatch(
      /\r\nSubject: Your invoice \(base64 attachment\)\r\n =\?UTF-8\?B\?/,
    );
    expect((await simpleParser(r.output)).subject).toBe(
      'Your invoice (base64 attachment) [virus détecté: Eicar-Test-Signature]',
    );
  });

  it('adds no visible note and no subject tag when told not to', async () => {
    const r = await setup((s) => {
      s.webAndEmail.emailClientProtection.alerts.tagMessages = 'never';
      s.webAndEmail.emailClientProtection.alerts.subjectTag = false;
    }).run(samples.eicarBase64Attachment, pop3);
    expect((await simpleParser(r.output)).subject).toBe('Your invoice (base64 attachment)');
    expect([...leaves(r.output).keys()]).toEqual(['1', '2']);
    expect(r.output.toString('latin1')).toMatch(/^X-Mailward-Scan: infected/);
  });
});

describe('size-preserving cleaning (IMAP)', () => {
  it.each([
    'eicarBase64Attachment',
    'eicarInZip',
    'eicarInForwardedMessage',
    'doubleExtension',
    'malformedMime',
  ] as const)('%s keeps its length, its numbering and every part size', async (name) => {
    const r = await setup().run(samples[name], imap);
    expect(await containsEicar(r.output)).toBe(false);
    expect(r.sizePreserved).toBe(true);
    expect(r.output.length).toBe(samples[name].length);
    const before = leaves(samples[name]);
    const after = leaves(r.output);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [n, leaf] of before) expect(after.get(n)!.body.length, `part ${n}`).toBe(leaf.body.length);
    expect(r.output.toString('latin1')).toMatch(/Removed by Mailward: |Mailward removed /);
  });

  it('says so when the notice cannot fit and still removes the threat', async () => {
    const r = await setup().run(samples.eicarQuotedPrintableInline, imap);
    expect(await containsEicar(r.output)).toBe(false);
    expect(r.partSizesPreserved).toBe(true);
    expect(r.sizePreserved).toBe(false);
  });
});
