// Certificate rules and modes: the decision table, and a remembered answer that survives a restart
// (saved in config.json by the settings store, found by a new TLS layer).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { CertificateQuestion } from '../../shared/events.ts';
import { defaultSettings, validateSettings, type Settings } from '../../shared/settings/index.ts';
import { createLogger } from '../log.ts';
import { SettingsStore } from '../settings/store.ts';
import { TlsInterceptor } from './interceptor.ts';
import { decide, withRule } from './rules.ts';
import type { CertProblem } from './verify.ts';

const FP = Array.from({ length: 32 }, (_, i) => (i + 160).toString(16).toUpperCase()).join(':');
const HOST = 'mail.example.com';
const unverified: CertProblem = { kind: 'unverified', code: 'X', reason: 'self-signed', fingerprint: FP };
const invalid: CertProblem = { kind: 'invalid', code: 'Y', reason: 'wrong name', fingerprint: FP };

const ssl = (patch: Partial<Settings['webAndEmail']['sslTls']>) => ({
  ...defaultSettings().webAndEmail.sslTls,
  ...patch,
});
const rule = (access: 'allow' | 'block', host = HOST) => ({ host, fingerprint: FP, access });

describe('certificate rule settings', () => {
  it('validates host and fingerprint', () => {
    const bad = withRule(defaultSettings(), { host: ' ', fingerprint: 'AA:BB', access: 'allow' });
    const r = validateSettings(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.key)).toEqual([
        'webAndEmail.sslTls.certificateRules.host',
        'webAndEmail.sslTls.certificateRules.fingerprint',
      ]);
      expect(r.errors[1].message).toMatch(/32 colon-separated hex pairs/);
    }
    expect(validateSettings(withRule(defaultSettings(), rule('block'))).ok).toBe(true);
  });

  it('a second answer for the same certificate replaces the first', () => {
    const s = withRule(withRule(defaultSettings(), rule('block')), {
      ...rule('allow'),
      host: 'MAIL.example.com',
    });
    expect(s.webAndEmail.sslTls.certificateRules).toMatchObject([{ access: 'allow' }]);
  });
});

describe('deciding about an upstream certificate', () => {
  it('a matching rule decides before the validity settings, in every mode', () => {
    const rules = [rule('block'), rule('allow', 'other.example.com')];
    for (const mode of ['automatic', 'interactive', 'policy'] as const) {
      const s = ssl({ mode, unverifiedCertificate: 'allow', certificateRules: rules });
      expect(decide(s, HOST, FP.toLowerCase(), unverified)).toMatchObject({
        by: 'rule',
        rule: { access: 'block' },
      });
      // A good certificate can be blocked by a rule too; without a rule it needs no decision.
      expect(decide(s, HOST, FP, null)).toMatchObject({ by: 'rule' });
      expect(decide(s, 'third.example.com', FP, null)).toBeNull();
    }
  });

  it('automatic: the unverified/invalid settings decide, as before', () => {
    expect(decide(ssl({}), HOST, FP, unverified)).toEqual({ by: 'policy', action: 'ask' });
    expect(decide(ssl({}), HOST, FP, invalid)).toEqual({ by: 'policy', action: 'block' });
    expect(decide(ssl({ unverifiedCertificate: 'allow' }), HOST, FP, unverified)).toMatchObject({
      action: 'allow',
    });
  });

  it('interactive: anything failing verification is asked, whatever the settings', () => {
    const s = ssl({ mode: 'interactive', unverifiedCertificate: 'allow', invalidCertificate: 'block' });
    expect(decide(s, HOST, FP, unverified)).toEqual({ by: 'policy', action: 'ask' });
    expect(decide(s, HOST, FP, invalid)).toEqual({ by: 'policy', action: 'ask' });
  });

  it('policy: never asks (ask is block)', () => {
    const s = ssl({ mode: 'policy', invalidCertificate: 'ask' });
    expect(decide(s, HOST, FP, unverified)).toEqual({ by: 'policy', action: 'block' });
    expect(decide(s, HOST, FP, invalid)).toEqual({ by: 'policy', action: 'block' });
    expect(decide({ ...s, unverifiedCertificate: 'allow' }, HOST, FP, unverified)).toMatchObject({
      action: 'allow',
    });
  });
});

/** The socket fields checkUpstream reads: a certificate for other.example.net, signed by a trusted CA. */
const wrongName = {
  authorized: false,
  authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
  getPeerCertificate: () => ({ fingerprint256: FP, subjectaltname: 'DNS:other.example.net' }),
} as unknown as TLSSocket;

describe('the TLS layer with a settings store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailward-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start(interactive: boolean) {
    const store = new SettingsStore(dir);
    const asked: CertificateQuestion[] = [];
    const tls = new TlsInterceptor({
      dataDir: dir,
      settings: () => store.get(),
      log: createLogger({ dataDir: dir }),
      raiseQuestion: (q) => asked.push(q),
      saveRule: (r) => store.set(withRule(store.get(), r)),
    });
    tls.questions.interactive = interactive;
    return { store, tls, asked };
  }

  it('interactive (desktop): an invalid certificate is asked about; "remember" survives a restart', async () => {
    const first = start(true);
    first.store.set({
      ...first.store.get(),
      webAndEmail: {
        ...first.store.get().webAndEmail,
        sslTls: { ...first.store.get().webAndEmail.sslTls, mode: 'interactive' },
      },
    });
    const verdict = first.tls.judge(wrongName, HOST, `pop3s://${HOST}:995`);
    await new Promise((r) => setImmediate(r));
    expect(first.asked).toMatchObject([{ host: HOST, fingerprint: FP, kind: 'invalid' }]);
    expect(first.asked[0].reason).toBe(
      "the server's certificate is for other.example.net, not mail.example.com",
    );
    first.tls.questions.answer(first.asked[0].id, true, true);
    expect(await verdict).toMatchObject({ ok: true });
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(saved.webAndEmail.sslTls.certificateRules).toMatchObject([
      { host: HOST, fingerprint: FP, access: 'allow' },
    ]);

    // "Restart": a new store reads config.json, a new TLS layer follows the rule without asking.
    const second = start(true);
    expect(await second.tls.judge(wrongName, HOST, `pop3s://${HOST}:995`)).toMatchObject({ ok: true });
    expect(second.asked).toEqual([]);
    expect(readFileSync(join(dir, 'mailward.log'), 'utf8')).toContain('allowed by a certificate rule');
  });

  it('a block rule refuses with a clear reason', async () => {
    const { store, tls } = start(false);
    store.set(withRule(store.get(), rule('block')));
    expect(await tls.judge(wrongName, HOST, `pop3s://${HOST}:995`)).toEqual({
      ok: false,
      reason: "the server's certificate for mail.example.com is blocked by a certificate rule",
    });
  });
});
