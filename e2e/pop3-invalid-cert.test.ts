// An upstream certificate that is trusted but issued for another name is INVALID (not merely
// unverified): blocked by default even though unverified certificates are allowed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSamples } from '../test/fixtures/samples.ts';
import { curlServerLines } from './helpers/clients.ts';
import { startDovecot, type RunningDovecot } from './helpers/dovecot.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';

let dovecot: RunningDovecot;
let mailward: RunningMailward;
let tmp: string;

beforeAll(async () => {
  dovecot = await startDovecot({ messages: [buildSamples().cleanPlain], certNames: ['mail.other.example'] });
  mailward = await startMailward({
    routes: [`0=pop3s://127.0.0.1:${dovecot.ports.pop3s}`],
    trustCa: [dovecot.certPath],
  });
  expect(
    (await mailward.cli(['settings', 'set', 'webAndEmail.sslTls.unverifiedCertificate', 'allow'])).code,
  ).toBe(0);
  tmp = mkdtempSync(join(tmpdir(), 'mailward-invalid-'));
  writeFileSync(join(tmp, 'ca.pem'), (await mailward.cli(['ca', 'export'])).stdout);
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  await dovecot?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
});

it('a certificate for another name is refused with -ERR naming both names', async () => {
  const l = mailward.listener('pop3s');
  const r = await curlServerLines({
    scheme: 'pop3s',
    host: '127.0.0.1',
    port: l.port,
    user: dovecot.user,
    password: dovecot.password,
    cacert: join(tmp, 'ca.pem'),
  });
  expect(r.code).not.toBe(0);
  expect(r.lines[0]).toBe(
    "-ERR Mailward refused the connection: the server's certificate is for mail.other.example, not 127.0.0.1",
  );
});
