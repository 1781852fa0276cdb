// Damaged mail never crashes the pipeline and never lets EICAR through: every infected sample truncated at
// many points and with single bytes changed (boundaries, headers, base64, zip structures), in both modes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings/index.ts';
import { buildSamples, containsEicar, EICAR_SAMPLES } from '../../test/fixtures/samples.ts';
import { DetectionsLog } from '../detections/log.ts';
import { createLogger } from '../log.ts';
import { Quarantine } from '../quarantine/store.ts';
import { defaultBackends } from '../scanner/backends.ts';
import { createPipeline } from './pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailward-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = defaultSettings();
const pipeline = createPipeline({
  settings: () => settings,
  backends: defaultBackends(dir),
  quarantine: new Quarantine(dir),
  detections: new DetectionsLog(dir),
  log: createLogger(),
  onDetection: () => {},
});

function damagedCopies(raw: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [
    ['LF line endings', Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')],
  ];
  for (let cut = 0; cut < raw.length; cut += 41) out.push([`cut at ${cut}`, raw.subarray(0, cut)]);
  for (let i = 0; i < 40; i++) {
    const b = Buffer.from(raw);
    const pos = (i * 7919) % b.length;
    b[pos] = (b[pos] + 13) & 255;
    out.push([`byte ${pos} changed`, b]);
  }
  return out;
}

it.each(EICAR_SAMPLES)('damaged copies of %s never deliver EICAR', async (name) => {
  const survivors: string[] = [];
  for (const [label, raw] of damagedCopies(buildSamples()[name])) {
    for (const preserveSize of [false, true]) {
      const r = await pipeline(raw, { protocol: 'file', server: 'test', preserveSize });
      if (await containsEicar(r.output))
        survivors.push(`${label}${preserveSize ? ' (size-preserving)' : ''}: ${r.scan.verdict}`);
    }
  }
  expect(survivors).toEqual([]);
});

it('an empty message and a message without a body pass unchanged', async () => {
  for (const raw of [Buffer.alloc(0), Buffer.from('Subject: only headers\r\n')]) {
    const r = await pipeline(raw, { protocol: 'file', server: 'test' });
    expect(r.output.equals(raw)).toBe(true);
  }
});
