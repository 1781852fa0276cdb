// IMAP and IMAPS through `mailward run` with real clients (curl, fetchmail, imapflow acting like
// Thunderbird) against a real Dovecot: clean mail arrives byte-identical to a direct fetch, infected mail
// arrives cleaned and labelled however it is read (whole, in 64 KB chunks, part by part), IDLE works.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLargeMessage,
  buildSamples,
  CLEAN_SAMPLES,
  containsEicar,
  EICAR_SAMPLES,
  type SampleName,
} from '../test/fixtures/samples.ts';
import { fetchmail, type CurlTarget } from './helpers/clients.ts';
import { startDovecot, type RunningDovecot } from './helpers/dovecot.ts';
import { eventually } from './helpers/eventually.ts';
import { curlImapFetch, fetchInChunks, imapflowConnect } from './helpers/imap-clients.ts';
import { expectCleaned, toLf } from './helpers/mail-checks.ts';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';
import { proxyTarget } from './helpers/stack.ts';

const CLEAN = CLEAN_SAMPLES;
const INFECTED = EICAR_SAMPLES;
const NAMES = [...CLEAN, ...INFECTED];
/**
 * Samples whose notice cannot take the removed content's exact size (EICAR inline in a short text part):
 * their size changes, and the proxy reports the new size in RFC822.SIZE once it has read the message.
 */
const SIZE_CHANGES: SampleName[] = ['eicarQuotedPrintableInline', 'eicarUuencoded'];
/** UIDs in delivery order; the large infected message (text, 700 KB attachment, EICAR) comes last. */
const UIDS = NAMES.map((_, i) => i + 1);
const LARGE_UID = NAMES.length + 1;
const ALL_UIDS = [...UIDS, LARGE_UID];

let dovecot: RunningDovecot;
let mailward: RunningMailward;
let tmp: string;
let caPath: string;
let mailwardCa: string;
/** Messages as Dovecot serves them directly over IMAPS (verified): the reference for byte equality. */
let direct: Buffer[];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  const samples = buildSamples();
  dovecot = await startDovecot({
    messages: [...NAMES.map((n) => samples[n]), buildLargeMessage(700_000, { infected: true })],
  });
  mailward = await startMailward({
    routes: [
      `0=imap://127.0.0.1:${dovecot.ports.imap}`,
      `127.0.0.1:0=imaps://127.0.0.1:${dovecot.ports.imaps}`,
    ],
    trustCa: [dovecot.certPath],
  });
  tmp = mkdtempSync(join(tmpdir(), 'mailward-imap-e2e-'));
  const ca = await mailward.cli(['ca', 'export']);
  expect(ca.code).toBe(0);
  mailwardCa = ca.stdout;
  caPath = join(tmp, 'mailward-ca.pem');
  writeFileSync(caPath, mailwardCa);
  const d = await curlImapFetch(
    {
      scheme: 'imaps',
      host: '127.0.0.1',
      port: dovecot.ports.imaps,
      user: dovecot.user,
      password: dovecot.password,
      cacert: dovecot.certPath,
    },
    ALL_UIDS,
  );
  expect(d.code, d.stderr).toBe(0);
  direct = d.messages.map((m) => m!);
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  await dovecot?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
});

const curlTarget = (kind: 'imap' | 'starttls' | 'imaps'): CurlTarget =>
  proxyTarget({ dovecot, mailward, caPath }, kind);

describe.each([
  ['plain IMAP', 'imap'],
  ['IMAP upgraded with STARTTLS (--ssl-reqd)', 'starttls'],
  ['IMAPS', 'imaps'],
] as const)('curl UID FETCH over %s through mailward run', (_label, kind) => {
  let fetched: (Buffer | undefined)[];
  beforeAll(async () => {
    const r = await curlImapFetch(curlTarget(kind), ALL_UIDS);
    expect(r.code, r.stderr).toBe(0);
    fetched = r.messages;
  });

  it('delivers every clean message byte-identical to a direct fetch from the server', () => {
    CLEAN.forEach((name, i) => expect(sha(fetched[i]!), name).toBe(sha(direct[i])));
  });

  it('delivers no EICAR in any message; infected ones carry the notice, scan header and subject tag', async () => {
    for (const [j, name] of INFECTED.entries()) {
      const i = CLEAN.length + j;
      await expectCleaned(fetched[i], direct[i], `${kind} ${name}`);
    }
    await expectCleaned(fetched[LARGE_UID - 1], direct[LARGE_UID - 1], `${kind} large message`);
  });

  it('keeps the size of cleaned messages where the notice fits (size-preserving cleaning)', () => {
    ALL_UIDS.forEach((uid, i) => {
      if (SIZE_CHANGES.includes(NAMES[i])) expect(fetched[i]!.length, NAMES[i]).not.toBe(direct[i].length);
      else expect(fetched[i]!.length, `UID ${uid}`).toBe(direct[i].length);
    });
  });
});

describe('fetchmail (keep) through mailward run, verifying the exported Mailward CA', () => {
  it.each([
    ['IMAPS', { ssl: true, scheme: 'imaps' as const }],
    ['IMAP (fetchmail upgrades with STARTTLS)', { ssl: false, scheme: 'imap' as const }],
  ])('%s: clean mail identical, infected mail cleaned', async (_label, o) => {
    const r = await fetchmail({
      protocol: 'imap',
      host: '127.0.0.1',
      port: mailward.listener(o.scheme).port,
      user: dovecot.user,
      password: dovecot.password,
      ssl: o.ssl,
      sslcertfile: caPath,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.messages.length, r.output).toBeGreaterThanOrEqual(ALL_UIDS.length);
    CLEAN.forEach((name, i) => expect(toLf(r.messages[i]).equals(toLf(direct[i])), name).toBe(true));
    for (const [j, name] of INFECTED.entries()) {
      const i = CLEAN.length + j;
      await expectCleaned(r.messages[i], direct[i], `fetchmail ${name}`);
    }
  });
});

describe('a Thunderbird-like client (imapflow, STARTTLS) through mailward run', () => {
  let client: ImapFlow;
  beforeAll(async () => {
    client = await imapflowConnect({
      host: '127.0.0.1',
      port: mailward.listener('imap').port,
      user: dovecot.user,
      password: dovecot.password,
      secure: false,
      ca: mailwardCa,
    });
    await client.mailboxOpen('INBOX');
  });
  afterAll(async () => {
    await client?.logout().catch(() => {});
  });

  it('lists FLAGS, RFC822.SIZE, BODYSTRUCTURE and ENVELOPE; sizes match the bodies then read', async () => {
    const query = { uid: true, flags: true, size: true, bodyStructure: true, envelope: true };
    const listed = await client.fetchAll('1:*', query);
    expect(listed.map((m) => m.uid)).toEqual(ALL_UIDS);
    const bodies = new Map<number, Buffer>();
    for (const m of listed) {
      expect(m.envelope?.subject, `UID ${m.uid}`).toBeTruthy();
      expect(m.bodyStructure, `UID ${m.uid}`).toBeTruthy();
      const whole = await client.fetchOne(String(m.uid), { source: true }, { uid: true });
      const body = (whole && whole.source) || Buffer.alloc(0);
      bodies.set(m.uid, body);
      expect(await containsEicar(body), `UID ${m.uid}`).toBe(false);
    }
    // Listed again once the messages were read, every size is the size of what the client receives.
    for (const m of await client.fetchAll('1:*', query)) {
      expect(m.size, `UID ${m.uid}: RFC822.SIZE equals the body`).toBe(bodies.get(m.uid)!.length);
    }
  });

  it('an infected message read in 64 KB BODY.PEEK[]<o.n> chunks reassembles to the cleaned message', async () => {
    const chunked = await fetchInChunks(client, LARGE_UID);
    const whole = await client.fetchOne(String(LARGE_UID), { source: true }, { uid: true });
    expect(chunked.length).toBe(direct[LARGE_UID - 1].length);
    expect(sha(chunked)).toBe(sha((whole && whole.source) || Buffer.alloc(0)));
    await expectCleaned(chunked, direct[LARGE_UID - 1], 'chunked large message');
  });

  it('per-part reads: the infected part is the notice, the clean attachment is unchanged', async () => {
    const direct2 = await imapflowConnect({
      host: '127.0.0.1',
      port: dovecot.ports.imaps,
      user: dovecot.user,
      password: dovecot.password,
      secure: true,
      ca: dovecot.caPem,
    });
    try {
      await direct2.mailboxOpen('INBOX', { readOnly: true });
      const parts = ['1', '2', '3'];
      const proxied = await client.fetchOne(String(LARGE_UID), { bodyParts: parts }, { uid: true });
      const original = await direct2.fetchOne(String(LARGE_UID), { bodyParts: parts }, { uid: true });
      expect(proxied && original).toBeTruthy();
      if (!proxied || !original) return;
      // Part 3 (eicar.com, base64 per the server's BODYSTRUCTURE) decodes to the notice naming the threat.
      const p3 = proxied.bodyParts!.get('3')!;
      const decoded3 = Buffer.from(p3.toString('latin1'), 'base64').toString('latin1');
      expect(decoded3).not.toContain('EICAR-STANDARD-ANTIVIRUS-TEST-FILE');
      expect(decoded3).toMatch(/Eicar-Test-Signature/);
      expect(p3.toString('latin1')).not.toContain('EICAR-STANDARD-ANTIVIRUS-TEST-FILE');
      expect(p3.length, 'the notice keeps the removed part size').toBe(original.bodyParts!.get('3')!.length);
      expect(sha(proxied.bodyParts!.get('2')!)).toBe(sha(original.bodyParts!.get('2')!));
    } finally {
      await direct2.logout().catch(() => {});
    }
  });

  it('IDLE: a message delivered meanwhile shows up as EXISTS', async () => {
    const idler = await imapflowConnect({
      host: '127.0.0.1',
      port: mailward.listener('imaps').port,
      user: dovecot.user,
      password: dovecot.password,
      secure: true,
      ca: mailwardCa,
    });
    try {
      const box = await idler.mailboxOpen('INBOX');
      const before = box.exists;
      const seen = new Promise<number>((resolve) =>
        idler.on('exists', (e: { count: number }) => resolve(e.count)),
      );
      // idle() runs until another command breaks it (the logout below).
      void idler.idle().catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
      dovecot.addMessage(buildSamples().cleanPlain);
      expect(await seen).toBe(before + 1);
    } finally {
      await idler.logout().catch(() => {});
    }
  });
});

describe('settings apply live', () => {
  it('turning IMAP checking off delivers the EICAR sample unchanged from the next connection; on again, cleaned', async () => {
    const key = 'webAndEmail.emailClientProtection.emailProtocols.imap.enabled';
    const uid = CLEAN.length + 1;
    const fetchOne = async () => {
      const r = await curlImapFetch(curlTarget('imap'), [uid]);
      expect(r.code, r.stderr).toBe(0);
      return r.messages[0]!;
    };
    // The service watches its settings file: `eventually` waits for it to notice.
    expect((await mailward.cli(['settings', 'set', key, 'false'])).code).toBe(0);
    try {
      const unchanged = await eventually(async () => {
        const m = await fetchOne();
        if (!m.equals(direct[uid - 1])) throw new Error('still filtered');
        return m;
      });
      expect(await containsEicar(unchanged)).toBe(true);
    } finally {
      expect((await mailward.cli(['settings', 'set', key, 'true'])).code).toBe(0);
    }
    await eventually(async () => {
      if (await containsEicar(await fetchOne())) throw new Error('not filtered yet');
    });
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
          JSON.parse(l) as { sha256: string; quarantineId?: string; threats: string[]; protocol: string },
      );
    for (const [j, name] of [...INFECTED, 'large' as const].entries()) {
      const original = direct[CLEAN.length + j];
      const rec = records.find((r) => r.sha256 === sha(original));
      expect(rec, `${name} in the detections log`).toBeDefined();
      expect(rec!.protocol).toMatch(/^imaps?$/);
      expect(rec!.threats.length).toBeGreaterThan(0);
      const kept = readFileSync(join(mailward.dataDir, 'quarantine', `${rec!.quarantineId}.eml`));
      expect(sha(kept), `${name}: quarantine holds the exact original`).toBe(sha(original));
    }
  });
});
