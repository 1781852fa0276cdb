// `mailward log` shows what the pipeline recorded: one line per detection, or JSON with --json.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.ts';
import { buildSamples } from '../../../test/fixtures/samples.ts';

const bin = fileURLToPath(new URL('../../../bin/mailward.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mailward-cli-log-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const mailward = (...args: string[]) =>
  new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    ),
  );

it('says there are no detections, then lists the one the engine recorded', async () => {
  expect((await mailward('log')).stdout).toBe('no detections\n');
  const engine = new Engine({ dataDir });
  const r = await engine.processMessage(buildSamples().eicarInZip, {
    protocol: 'pop3',
    server: 'mail.example.com:995',
  });
  engine.close();
  const text = await mailward('log');
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(
    new RegExp(
      `^\\S+  Eicar-Test-Signature  action=removed  pop3 mail.example.com:995  from=Zed Zipper <zed@bad.example>  subject="Archive with a test file"  quarantine=${r.quarantineId}\\n$`,
    ),
  );
  const json = JSON.parse((await mailward('log', '--json')).stdout);
  expect(json).toMatchObject({
    id: r.detectionIds[0],
    parts: [{ part: '2', filename: 'eicar.com', threat: 'Eicar-Test-Signature' }],
  });
});
