// `mailward scan` as a user runs it: the real bin, real .eml files, clamscan-style exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSamples, type SampleName } from '../../../test/fixtures/samples.ts';

const bin = fileURLToPath(new URL('../../../bin/mailward.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailward-cli-scan-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samples = buildSamples();
const file = (name: SampleName) => {
  const p = join(dir, `${name}.eml`);
  if (!existsSync(p)) writeFileSync(p, samples[name]);
  return p;
};

function mailward(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('mailward scan', () => {
  it('exits 0 and prints CLEAN for clean files', async () => {
    const r = await mailward('scan', file('cleanPlain'), file('cleanHtmlWithPdf'));
    expect(r.stdout).toBe(`${file('cleanPlain')}: CLEAN\n${file('cleanHtmlWithPdf')}: CLEAN\n`);
    expect(r.code).toBe(0);
  });

  it('exits 1 and names the detections when any file is infected', async () => {
    const r = await mailward(
      'scan',
      file('cleanPlain'),
      file('eicarInNestedZip'),
      file('doubleExtension'),
      file('zipBomb'),
    );
    expect(r.stdout.split('\n')).toEqual([
      `${file('cleanPlain')}: CLEAN`,
      `${file('eicarInNestedZip')}: INFECTED Eicar-Test-Signature`,
      `${file('doubleExtension')}: INFECTED Heuristic.DoubleExtension`,
      expect.stringMatching(/: UNSCANNABLE 2\/bomb\.zip\/zeros-0\.bin: expands \d+x/),
      '',
    ]);
    expect(r.code).toBe(1);
  });

  it('exits 3 with the reason when nothing is detected but something is unscannable', async () => {
    const r = await mailward('scan', file('encryptedZip'));
    expect(r.stdout).toBe(
      `${file('encryptedZip')}: UNSCANNABLE 2/secret.zip/document.pdf: encrypted archive member, cannot be scanned\n`,
    );
    expect(r.code).toBe(3);
  });

  it('exits 2 with a message for a missing file', async () => {
    const missing = join(dir, 'nope.eml');
    const r = await mailward('scan', file('cleanPlain'), missing);
    expect(r.stdout).toContain(`${missing}: ERROR no such file`);
    expect(r.stderr).toContain(`mailward: ${missing}: no such file`);
    expect(r.code).toBe(2);
  });

  it('prints one JSON object per file with --json and keeps no quarantine or log', async () => {
    const r = await mailward('scan', '--json', file('eicarInForwardedMessage'));
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ verdict: 'infected', threats: ['Eicar-Test-Signature'] });
    expect(out.parts.map((p: { part: string }) => p.part)).toEqual(['1', '2.1', '2.2']);
    expect(r.code).toBe(1);
    expect(existsSync(join(dataDir, 'detections.jsonl'))).toBe(false);
  });
});
