// Protocol filtering › Excluded IP addresses, live, through `mailward run` with real curl and Dovecot:
// traffic to an excluded server is neither scanned nor TLS-intercepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSamples, containsEicar } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, type CurlTarget } from './helpers/clients.ts';
import { eventually } from './helpers/eventually.ts';
import { expectCleaned } from './helpers/mail-checks.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';

const KEY = 'webAndEmail.protocolFiltering.excludedAddresses';
let stack: MailStack;
let direct: Buffer;

beforeAll(async () => {
  const s = buildSamples();
  stack = await startMailStack({ messages: [s.eicarBase64Attachment], routes: ['pop3', 'pop3s'] });
  const d = await curlPop3Retrieve({ ...base(), scheme: 'pop3', port: stack.dovecot.ports.pop3 }, [1]);
  expect(d.code, d.stderr).toBe(0);
  direct = d.messages[0]!;
});

afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

const base = () => ({ host: '127.0.0.1', user: stack.dovecot.user, password: stack.dovecot.password });
const viaProxy = (scheme: 'pop3' | 'pop3s', cacert?: string): CurlTarget => ({
  ...proxyTarget(stack, scheme),
  cacert,
});
const fetchVia = async (target: CurlTarget) => {
  const r = await curlPop3Retrieve(target, [1]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.messages[0]!;
};

describe('an excluded server address', () => {
  it('is protected while the list is empty', async () => {
    await expectCleaned(await fetchVia(viaProxy('pop3')), direct, 'not excluded');
  });

  it('once listed (as a subnet), its mail passes unscanned and its TLS is not intercepted', async () => {
    const set = await stack.mailward.cli(['settings', 'set', KEY, '10.0.0.0/8; 127.0.0.0/8']);
    expect(set.code, set.stderr).toBe(0);
    const plain = await eventually(async () => {
      const m = await fetchVia(viaProxy('pop3'));
      if (!m.equals(direct)) throw new Error('still filtered');
      return m;
    });
    expect(await containsEicar(plain)).toBe(true);
    // Verifiable against Dovecot's own certificate only when Mailward stays out of the TLS session.
    const tls = await fetchVia(viaProxy('pop3s', stack.dovecot.certPath));
    expect(tls.equals(direct)).toBe(true);
  });

  it('removed from the list, protection is back for the next connection', async () => {
    expect((await stack.mailward.cli(['settings', 'set', KEY, ''])).code).toBe(0);
    const got = await eventually(async () => {
      const m = await fetchVia(viaProxy('pop3'));
      if (m.equals(direct)) throw new Error('not filtered yet');
      return m;
    });
    await expectCleaned(got, direct, 'after');
  });
});

describe('an excluded application', () => {
  const APPS = 'webAndEmail.protocolFiltering.excludedApplications';

  it('curl listed by name: its mail passes unscanned', async () => {
    expect((await stack.mailward.cli(['settings', 'set', APPS, 'curl'])).code).toBe(0);
    const got = await eventually(async () => {
      const m = await fetchVia(viaProxy('pop3'));
      if (!m.equals(direct)) throw new Error('still filtered');
      return m;
    });
    expect(await containsEicar(got)).toBe(true);
  });

  it('another program listed instead: curl is protected again', async () => {
    expect((await stack.mailward.cli(['settings', 'set', APPS, '/usr/bin/fetchmail'])).code).toBe(0);
    const got = await eventually(async () => {
      const m = await fetchVia(viaProxy('pop3'));
      if (m.equals(direct)) throw new Error('not filtered yet');
      return m;
    });
    await expectCleaned(got, direct, 'curl not excluded');
  });
});
