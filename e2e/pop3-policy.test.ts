// Certificate policy and live settings, through `mailward run` with real curl against a real Dovecot
// whose self-signed certificate Mailward does NOT trust (no --trust-ca here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSamples, containsEicar } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, curlServerLines, type CurlTarget } from './helpers/clients.ts';
import type { RunningDovecot } from './helpers/dovecot.ts';
import { eventually } from './helpers/eventually.ts';
import { expectCleaned } from './helpers/mail-checks.ts';
import type { RunningMailward } from './helpers/mailward.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';

let stack: MailStack;
let dovecot: RunningDovecot;
let mailward: RunningMailward;
let direct: Buffer[];

beforeAll(async () => {
  const s = buildSamples();
  stack = await startMailStack({
    messages: [s.cleanPlain, s.eicarBase64Attachment],
    routes: ['pop3', 'pop3s'],
    trustDovecot: false,
  });
  ({ dovecot, mailward } = stack);
  const d = await curlPop3Retrieve({ ...base(), scheme: 'pop3', port: dovecot.ports.pop3 }, [1, 2]);
  expect(d.code, d.stderr).toBe(0);
  direct = d.messages.map((m) => m!);
});

afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

const base = () => ({ host: '127.0.0.1', user: dovecot.user, password: dovecot.password });
const viaProxy = (kind: 'pop3s' | 'stls' | 'pop3'): CurlTarget => proxyTarget(stack, kind);

describe('an upstream server whose certificate cannot be verified', () => {
  it.each(['pop3s', 'stls'] as const)(
    'is refused under the default policy: the client (%s) gets -ERR naming the reason',
    async (kind) => {
      const r = await curlServerLines(viaProxy(kind));
      expect(r.code).not.toBe(0);
      expect(r.lines.find((l) => l.startsWith('-ERR'))).toMatch(
        /^-ERR Mailward refused the connection: the server's certificate for 127\.0\.0\.1 is self-signed and not trusted/,
      );
      const log = readFileSync(join(mailward.dataDir, 'mailward.log'), 'utf8');
      expect(log).toMatch(/upstream certificate refused/);
    },
  );

  it('is allowed once unverifiedCertificate is set to allow (live, from another process)', async () => {
    const set = await mailward.cli(['settings', 'set', 'webAndEmail.sslTls.unverifiedCertificate', 'allow']);
    expect(set.code, set.stderr).toBe(0);
    for (const kind of ['pop3s', 'stls'] as const) {
      const got = await eventually(async () => {
        const r = await curlPop3Retrieve(viaProxy(kind), [1]);
        if (r.code !== 0) throw new Error(r.stderr);
        return r.messages[0]!;
      });
      expect(got.equals(direct[0]), kind).toBe(true);
    }
  });
});

describe('turning email protection off and on with `mailward settings set` while the service runs', () => {
  const KEY = 'webAndEmail.emailClientProtection.emailProtocols.enabled';
  const fetchInfected = async () => {
    const r = await curlPop3Retrieve(viaProxy('pop3'), [2]);
    if (r.code !== 0) throw new Error(r.stderr);
    return r.messages[0]!;
  };

  it('starts protected', async () => {
    await expectCleaned(await fetchInfected(), direct[1], 'before');
  });

  it('off: the next fetch delivers the EICAR sample unchanged', async () => {
    expect((await mailward.cli(['settings', 'set', KEY, 'false'])).code).toBe(0);
    const got = await eventually(async () => {
      const m = await fetchInfected();
      if (!m.equals(direct[1])) throw new Error('still filtered');
      return m;
    });
    expect(await containsEicar(got)).toBe(true);
  });

  it('on again: protected again', async () => {
    expect((await mailward.cli(['settings', 'set', KEY, 'true'])).code).toBe(0);
    const got = await eventually(async () => {
      const m = await fetchInfected();
      if (m.equals(direct[1])) throw new Error('not filtered yet');
      return m;
    });
    await expectCleaned(got, direct[1], 'after');
  });
});

describe('SSL/TLS filtering turned off (webAndEmail.sslTls.enabled false)', () => {
  it("TLS passes end to end: the client sees the server's own certificate, over STLS and POP3S", async () => {
    expect((await mailward.cli(['settings', 'set', 'webAndEmail.sslTls.enabled', 'false'])).code).toBe(0);
    for (const kind of ['stls', 'pop3s'] as const) {
      // Verified against Dovecot's own certificate: only possible when Mailward does not intercept.
      const got = await eventually(async () => {
        const r = await curlPop3Retrieve({ ...viaProxy(kind), cacert: dovecot.certPath }, [1]);
        if (r.code !== 0) throw new Error(r.stderr);
        return r.messages[0]!;
      });
      expect(got.equals(direct[0]), kind).toBe(true);
    }
    expect((await mailward.cli(['settings', 'set', 'webAndEmail.sslTls.enabled', 'true'])).code).toBe(0);
  });
});
