import { describe, expect, it } from 'vitest';
import type { CertificateQuestion } from '../../shared/events.ts';
import { CertificateQuestions } from './questions.ts';

const q = {
  server: 'pop3s://mail.example.com:995',
  reason: 'self-signed',
  fingerprint: 'AA:BB',
  kind: 'unverified' as const,
};

describe('certificate questions (ask policy)', () => {
  it('headless: raises the event and blocks', async () => {
    const raised: CertificateQuestion[] = [];
    const qs = new CertificateQuestions((x) => raised.push(x));
    expect(await qs.ask(q)).toBe('block');
    expect(raised[0]).toMatchObject(q);
  });

  it('desktop: waits for the answer and remembers it for the same certificate', async () => {
    const raised: CertificateQuestion[] = [];
    const qs = new CertificateQuestions((x) => raised.push(x));
    qs.interactive = true;
    const pending = qs.ask(q);
    expect(qs.answer(raised[0].id, true)).toBe(true);
    expect(await pending).toBe('allow');
    expect(await qs.ask(q)).toBe('allow');
    expect(raised).toHaveLength(1);
  });

  it('blocks open questions when the service stops', async () => {
    const qs = new CertificateQuestions(() => {});
    qs.interactive = true;
    const pending = qs.ask(q);
    qs.close();
    expect(await pending).toBe('block');
  });
});
