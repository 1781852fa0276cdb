// POP3 and POP3S through `mailward run` with real clients (curl, fetchmail) against a real Dovecot:
// clean mail arrives byte-identical to a direct fetch, infected mail arrives cleaned and labelled,
// originals land in quarantine and the detections log.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSamples, CLEAN_SAMPLES, containsEicar, EICAR_SAMPLES } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, fetchmail, type CurlTarget } from './helpers/clients.ts';
import type { RunningDovecot } from './helpers/dovecot.ts';
import { eventually } from './helpers/eventually.ts';
import { expectCleaned, toLf } from './helpers/mail-checks.ts';
import type { RunningMailward } from './helpers/mailward.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';

const CLEAN = CLEAN_SAMPLES;
const INFECTED = EICAR_SAMPLES;
const NAMES = [...CLEAN, ...INFECTED];
const IDS = NAMES.map((_, i) => i + 1);

let stack: MailStack;
let dovecot: RunningDovecot;
let mailward: RunningMailward;
let caPath: string;
/** Messages as Dovecot serves them directly (POP3S, verified): the reference for byte equality. */
let direct: Buffer[];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  const samples = buildSamples();
  stack = await startMailStack({ messages: NAMES.map((n) => samples[n]), routes: ['pop3', 'pop3s'] });
  ({ dovecot, mailward, caPath } = stack);
  const d = await curlPop3Retrieve(
    {
      scheme: 'pop3s',
      host: '127.0.0.1',
      port: dovecot.ports.pop3s,
      user: dovecot.user,
      password: dovecot.password,
      cacert: dovecot.certPath,
    },
    IDS,
  );
  expect(d.code, d.stderr).toBe(0);
  direct = d.messages.map((m) => m!);
});

afterAll(async () => {
  // SIGTERM ends the service cleanly.
  expect(await stack?.close()).toBe(0);
});

const target = (kind: 'pop3' | 'stls' | 'pop3s'): CurlTarget => proxyTarget(stack, kind);

describe.each([
  ['plain POP3', 'pop3'],
  ['POP3 upgraded with STLS (--ssl-reqd)', 'stls'],
  ['POP3S', 'pop3s'],
] as const)('curl over %s through mailward run', (_label, kind) => {
  let fetched: (Buffer | undefined)[];
  beforeAll(async () => {
    const r = await curlPop3Retrieve(target(kind), IDS);
    expect(r.code, r.stderr).toBe(0);
    fetched = r.messages;
  });

  it('delivers every clean message byte-identical to a direct fetch from the server', () => {
    CLEAN.forEach((name, i) => expect(sha(fetched[i]!), name).toBe(sha(direct[i])));
  });

  it('delivers no EICAR in any message, infected ones cleaned with notice, header and subject tag', async () => {
    for (const [j, name] of INFECTED.entries()) {
      const i = CLEAN.length + j;
      await expectCleaned(fetched[i], direct[i], `${kind} ${name}`);
    }
  });
});

describe('fetchmail through mailward run, verifying the exported Mailward CA (sslcertck)', () => {
  it.each([
    ['POP3S', { ssl: true, scheme: 'pop3s' as const }],
    ['POP3 (fetchmail upgrades with STLS)', { ssl: false, scheme: 'pop3' as const }],
  ])('%s: clean mail identical, infected mail cleaned', async (_label, o) => {
    const r = await fetchmail({
      protocol: 'pop3',
      host: '127.0.0.1',
      port: mailward.listener(o.scheme).port,
      user: dovecot.user,
      password: dovecot.password,
      ssl: o.ssl,
      sslcertfile: caPath,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.messages).toHaveLength(NAMES.length);
    CLEAN.forEach((name, i) => expect(toLf(r.messages[i]).equals(toLf(direct[i])), name).toBe(true));
    for (const [j, name] of INFECTED.entries()) {
      const i = CLEAN.length + j;
      await expectCleaned(r.messages[i], direct[i], `fetchmail ${name}`);
    }
  });
});

describe('after the fetches above', () => {
  it('lists every infected message in the detections log, with its original in quarantine', async () => {
    const log = await mailward.cli(['log', '--json']);
    expect(log.code).toBe(0);
    const records = log.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            sha256: string;
            quarantineId?: string;
            threats: string[];
            protocol: string;
            user?: string;
          },
      );
    for (const [j, name] of INFECTED.entries()) {
      const original = direct[CLEAN.length + j];
      const rec = records.find((r) => r.sha256 === sha(original));
      expect(rec, `${name} in the detections log`).toBeDefined();
      expect(rec!.threats.length).toBeGreaterThan(0);
      expect(rec!.protocol).toMatch(/^pop3s?$/);
      expect(rec!.user, `${name}: who fetched it`).toBe(dovecot.user);
      expect(rec!.quarantineId, `${name} quarantined`).toBeTruthy();
      const kept = readFileSync(join(mailward.dataDir, 'quarantine', `${rec!.quarantineId}.eml`));
      expect(sha(kept), `${name}: quarantine holds the exact original`).toBe(sha(original));
      expect(await containsEicar(kept)).toBe(true);
    }
  });
});

describe('logins pass through the proxy unchanged', () => {
  it.each(['+APOP', 'PLAIN', 'LOGIN', 'CRAM-MD5'])(
    'curl logging in with %s gets the same clean message',
    async (auth) => {
      const r = await curlPop3Retrieve({ ...target('pop3'), auth }, [1]);
      expect(r.code, r.stderr).toBe(0);
      expect(sha(r.messages[0]!)).toBe(sha(direct[0]));
      // The server saw that mechanism: the proxy passed the exchange through rather than replaying a login.
      expect(dovecot.logText()).toContain(`method=${auth.replace('+', '')}`);
    },
  );

  it('a wrong password is refused by the server, and the client sees its answer', async () => {
    const r = await curlPop3Retrieve({ ...target('pop3'), password: 'wrong', auth: 'PLAIN' }, [1]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Authentication failed|Login denied|access denied/i);
  });
});

describe('the certificate a POP3S client sees', () => {
  it("mirrors the server's names, adds the listener IP as IP and DNS name, and is issued by the Mailward CA", async () => {
    const { connect } = await import('node:tls');
    const port = mailward.listener('pop3s').port;
    const ca = readFileSync(caPath, 'utf8');
    const cert = await new Promise<import('node:tls').PeerCertificate>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
        resolve(s.getPeerCertificate());
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(cert.subject.CN).toBe('localhost'); // Dovecot's test certificate says CN=localhost
    expect(cert.issuer.CN).toMatch(/^Mailward Root CA [0-9a-f]{8}$/);
    expect(cert.subjectaltname).toContain('DNS:localhost');
    expect(cert.subjectaltname).toContain('IP Address:127.0.0.1');
    expect(cert.subjectaltname).toContain('DNS:127.0.0.1');
  });

  it('a client that does not trust the Mailward CA fails, and the service log says why', async () => {
    // curl given only the server's own CA: it rejects Mailward's certificate with a TLS alert.
    const r = await curlPop3Retrieve({ ...target('pop3s'), cacert: dovecot.certPath }, [1]);
    expect(r.code).not.toBe(0);
    await eventually(async () => {
      expect(mailward.stderr()).toMatch(/the mail client rejected Mailward's certificate/);
    });
  });
});
