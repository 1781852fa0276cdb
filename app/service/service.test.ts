// The service host in-process, as the desktop shell uses it: a certificate the system cannot verify
// (policy `ask`, the default) raises 'certificateQuestion'; the user's answer decides the connection.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine.ts';
import type { CertificateQuestion } from '../../shared/events.ts';
import { buildSamples } from '../../test/fixtures/samples.ts';
import { curlPop3Retrieve, curlServerLines } from '../../e2e/helpers/clients.ts';
import { startDovecot, type RunningDovecot } from '../../e2e/helpers/dovecot.ts';
import { startService, type ServiceHandle } from './index.ts';

let dovecot: RunningDovecot;
let engine: Engine;
let service: ServiceHandle;
let dir: string;
let caPath: string;
const lines: string[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ messages: [buildSamples().cleanPlain] });
  dir = mkdtempSync(join(tmpdir(), 'mailward-service-'));
  engine = new Engine({ dataDir: dir });
  service = await startService(engine, {
    routes: [`0=pop3s://127.0.0.1:${dovecot.ports.pop3s}`],
    trustCa: [],
    print: (l) => lines.push(l),
    consolePort: null,
  });
  caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, service.exportCa().pem);
});

afterAll(async () => {
  await service?.close();
  engine?.close();
  await dovecot?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fetch = () => {
  const l = service.listeners()[0];
  return {
    scheme: 'pop3s',
    host: '127.0.0.1',
    port: l.port,
    user: dovecot.user,
    password: dovecot.password,
    cacert: caPath,
  };
};

describe('startService (desktop use)', () => {
  it('prints one listening line per route', () => {
    expect(lines).toEqual([
      `listening pop3s 127.0.0.1:${service.listeners()[0].port} -> pop3s://127.0.0.1:${dovecot.ports.pop3s}`,
    ]);
  });

  it('an unverifiable certificate refused by the user is blocked with the reason', async () => {
    service.certificates.interactive = true;
    const asked: CertificateQuestion[] = [];
    const onQuestion = (q: CertificateQuestion) => {
      asked.push(q);
      service.certificates.answer(q.id, false, false);
    };
    engine.on('certificateQuestion', onQuestion);
    const r = await curlServerLines(fetch());
    engine.off('certificateQuestion', onQuestion);
    expect(asked[0]).toMatchObject({
      kind: 'unverified',
      server: `pop3s://127.0.0.1:${dovecot.ports.pop3s}`,
    });
    expect(asked[0].reason).toMatch(/self-signed/);
    expect(r.lines[0]).toMatch(/^-ERR Mailward refused the connection: .*self-signed/);
  });

  it('allowed by the user, the mail comes through and the answer is remembered', async () => {
    const asked: CertificateQuestion[] = [];
    const onQuestion = (q: CertificateQuestion) => {
      asked.push(q);
      service.certificates.answer(q.id, true);
    };
    engine.on('certificateQuestion', onQuestion);
    const first = await curlPop3Retrieve(fetch(), [1]);
    const second = await curlPop3Retrieve(fetch(), [1]);
    engine.off('certificateQuestion', onQuestion);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(asked).toHaveLength(1);
  });
});
