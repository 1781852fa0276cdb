// An upstream that only speaks TLS below 1.2 is refused while blockObsoleteProtocols is on (the default)
// and reachable when it is turned off. The server is scripted: Debian's Dovecot/OpenSSL will not offer
// TLS 1.1 without system-wide changes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { curlServerLines } from './helpers/clients.ts';
import { makeSelfSignedCert } from './helpers/dovecot.ts';
import { eventually } from './helpers/eventually.ts';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';

let tmp: string;
let server: Server;
let mailward: RunningMailward;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mailward-oldtls-'));
  const { certPath, keyPath } = makeSelfSignedCert(tmp);
  server = createServer(
    {
      cert: readFileSync(certPath),
      key: readFileSync(keyPath),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    },
    (s) => {
      s.on('error', () => {});
      s.write('+OK old server\r\n');
      s.on('data', () => s.end('+OK bye\r\n'));
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mailward = await startMailward({
    routes: [`0=pop3s://127.0.0.1:${(server.address() as AddressInfo).port}`],
    trustCa: [certPath],
  });
  writeFileSync(join(tmp, 'ca.pem'), (await mailward.cli(['ca', 'export'])).stdout);
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
});

/** What a POP3S client connecting through Mailward is told first. */
async function greeting(): Promise<string> {
  const port = mailward.listener('pop3s').port;
  const t = {
    scheme: 'pop3s',
    host: '127.0.0.1',
    port,
    user: 'a',
    password: 'b',
    cacert: join(tmp, 'ca.pem'),
  };
  const r = await curlServerLines(t, '/');
  return r.lines[0] ?? r.stderr;
}

it('a server offering only TLS 1.1 is refused as obsolete by default', async () => {
  expect(await greeting()).toMatch(
    /^-ERR Mailward refused the connection: the server 127\.0\.0\.1 offers only TLS below 1\.2/,
  );
});

it('with blockObsoleteProtocols off, the same server is reached', async () => {
  const set = await mailward.cli(['settings', 'set', 'webAndEmail.sslTls.blockObsoleteProtocols', 'false']);
  expect(set.code, set.stderr).toBe(0);
  await eventually(async () => expect(await greeting()).toMatch(/^\+OK old server/));
});
