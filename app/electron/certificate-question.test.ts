import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateQuestion } from '../../shared/events.ts';
import {
  certificateDialogText,
  CertificateQuestions,
  type CertificateAnswer,
} from './certificate-question.ts';

const q: CertificateQuestion = {
  id: 'q1',
  server: 'imap.example.org:993',
  host: 'imap.example.org',
  reason: 'the certificate is signed by an unknown authority',
  fingerprint: 'AB:CD:EF',
  kind: 'unverified',
};

describe('certificate questions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the dialog names the server, the reason and the fingerprint', () => {
    const t = certificateDialogText(q);
    expect(t.message).toBe('imap.example.org:993 presented a certificate that cannot be verified.');
    expect(t.detail).toContain('Reason: the certificate is signed by an unknown authority');
    expect(t.detail).toContain('Fingerprint (SHA-256): AB:CD:EF');
    expect(t.buttons).toEqual(['Block', 'Allow']);
  });

  it("the user's answer reaches the engine with remember", async () => {
    const answers: [string, CertificateAnswer][] = [];
    const qs = new CertificateQuestions(
      async () => ({ allow: true, remember: true }),
      (id, a) => answers.push([id, a]),
    );
    await qs.handle(q);
    expect(answers).toEqual([['q1', { allow: true, remember: true }]]);
  });

  it('no answer within the time limit blocks, and the block is not remembered', async () => {
    const answers: [string, CertificateAnswer][] = [];
    const ask = (_q: CertificateQuestion, signal: AbortSignal) =>
      new Promise<CertificateAnswer>((resolve) =>
        signal.addEventListener('abort', () => resolve({ allow: true, remember: true })),
      );
    const qs = new CertificateQuestions(ask, (id, a) => answers.push([id, a]), 45_000);
    const done = qs.handle(q);
    await vi.advanceTimersByTimeAsync(45_000);
    await done;
    expect(answers).toEqual([['q1', { allow: false, remember: false }]]);
  });

  it('the same certificate asked twice at once shows one dialog and answers both', async () => {
    let asked = 0;
    let release!: (a: CertificateAnswer) => void;
    const ask = () => {
      asked++;
      return new Promise<CertificateAnswer>((r) => (release = r));
    };
    const answers: string[] = [];
    const qs = new CertificateQuestions(ask, (id, a) => answers.push(`${id}:${a.allow}`));
    const a = qs.handle(q);
    const b = qs.handle({ ...q, id: 'q2' });
    release({ allow: false, remember: false });
    await Promise.all([a, b]);
    expect(asked).toBe(1);
    expect(answers.sort()).toEqual(['q1:false', 'q2:false']);
  });

  it('a dialog that fails to show blocks', async () => {
    const answers: CertificateAnswer[] = [];
    const qs = new CertificateQuestions(
      () => Promise.reject(new Error('no display')),
      (_id, a) => answers.push(a),
    );
    await qs.handle(q);
    expect(answers).toEqual([{ allow: false, remember: false }]);
  });
});
