// An upstream certificate that is trusted but issued for another name is INVALID (not merely
// unverified): blocked by default even though unverified certificates are allowed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSamples } from '../test/fixtures/samples.ts';
import { curlServerLines } from './helpers/clients.ts';
import { startMailStack, type MailStack } from './helpers/stack.ts';

let stack: MailStack;

beforeAll(async () => {
  stack = await startMailStack({
    messages: [buildSamples().cleanPlain],
    routes: ['pop3s'],
    certNames: ['mail.other.example'],
  });
  const set = await stack.mailward.cli([
    'settings',
    'set',
    'webAndEmail.sslTls.unverifiedCertificate',
    'allow',
  ]);
  expect(set.code).toBe(0);
});

afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

it('a certificate for another name is refused with -ERR naming both names', async () => {
  const { dovecot, mailward, caPath } = stack;
  const r = await curlServerLines({
    scheme: 'pop3s',
    host: '127.0.0.1',
    port: mailward.listener('pop3s').port,
    user: dovecot.user,
    password: dovecot.password,
    cacert: caPath,
  });
  expect(r.code).not.toBe(0);
  expect(r.lines[0]).toBe(
    "-ERR Mailward refused the connection: the server's certificate is for mail.other.example, not 127.0.0.1",
  );
});
