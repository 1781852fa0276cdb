import { describe, expect, it } from 'vitest';
import { applyTextValue, defaultSettings, parsePortList } from './index.ts';

const IMAPS = 'webAndEmail.emailClientProtection.emailProtocols.imaps.ports';
const POP3S = 'webAndEmail.emailClientProtection.emailProtocols.pop3s.ports';

describe('port lists typed as text', () => {
  it('accepts the comma-delimited form users type', () => {
    expect(parsePortList('585, 993')).toEqual({ ok: true, ports: [585, 993] });
    expect(parsePortList('995')).toEqual({ ok: true, ports: [995] });
  });

  it('names the bad item', () => {
    expect(parsePortList('993, abc')).toEqual({ ok: false, message: '"abc" is not a port number' });
    expect(parsePortList('99999')).toEqual({ ok: false, message: 'Port 99999 is out of range 1–65535' });
    expect(parsePortList('0')).toEqual({ ok: false, message: 'Port 0 is out of range 1–65535' });
    expect(parsePortList('993, 993')).toEqual({ ok: false, message: 'Port 993 is listed twice' });
    expect(parsePortList('993,,995')).toEqual({ ok: false, message: 'Empty item in the port list' });
    expect(parsePortList('')).toEqual({ ok: false, message: 'Enter at least one port' });
  });

  it('rejects a port that already belongs to another protocol', () => {
    const r = applyTextValue(defaultSettings(), POP3S, '993');
    expect(r).toEqual({ ok: false, errors: [{ key: POP3S, message: 'Port 993 is already used by IMAPS' }] });
  });

  it('applies a valid list', () => {
    const r = applyTextValue(defaultSettings(), IMAPS, '993, 1993');
    expect(r.ok && r.settings.webAndEmail.emailClientProtection.emailProtocols.imaps.ports).toEqual([
      993, 1993,
    ]);
  });
});

describe('defaults', () => {
  it('match the product: IMAPS 585 and 993, POP3S 995, tags on infected mail only', () => {
    const s = defaultSettings();
    const email = s.webAndEmail.emailClientProtection;
    expect(email.emailProtocols.imaps.ports).toEqual([585, 993]);
    expect(email.emailProtocols.pop3s.ports).toEqual([995]);
    expect(email.emailProtocols.imap.ports).toEqual([143]);
    expect(email.emailProtocols.pop3.ports).toEqual([110]);
    expect(email.alerts.tagMessages).toBe('infected');
    expect(email.alerts.subjectTemplate).toBe('[detection %DETECTIONNAME%]');
    expect(s.webAndEmail.sslTls.unverifiedCertificate).toBe('ask');
    expect(s.scanner.limits.archiveDepth).toBe(10);
  });
});
