// `ask` policy for an upstream certificate: the engine raises 'certificateQuestion' and a host that
// can ask the user (the desktop shell) answers with answer(id, allow). Without such a host (headless),
// or when nobody answers in time, the answer is block. Answers are remembered per certificate for the run.
import { randomUUID } from 'node:crypto';
import type { CertificateQuestion } from '../../shared/events.ts';

/** How long a connection waits for the user before the certificate is treated as blocked. */
export const QUESTION_TIMEOUT_MS = 60_000;

export type CertificateAnswer = 'allow' | 'block';

export class CertificateQuestions {
  /** Set by a host that shows questions to the user and calls answer(). Headless: false. */
  interactive = false;
  private readonly pending = new Map<string, { resolve: (a: CertificateAnswer) => void; key: string }>();
  private readonly remembered = new Map<string, CertificateAnswer>();

  constructor(private readonly raise: (q: CertificateQuestion) => void) {}

  async ask(q: Omit<CertificateQuestion, 'id'>): Promise<CertificateAnswer> {
    const key = `${q.server}|${q.fingerprint}`;
    const known = this.remembered.get(key);
    if (known) return known;
    const question: CertificateQuestion = { id: randomUUID(), ...q };
    if (!this.interactive) {
      this.raise(question);
      return 'block';
    }
    return new Promise<CertificateAnswer>((resolve) => {
      const timer = setTimeout(() => this.settle(question.id, 'block', false), QUESTION_TIMEOUT_MS);
      timer.unref();
      this.pending.set(question.id, {
        key,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
      this.raise(question);
    });
  }

  /** The user's answer; `remember` applies it to the same certificate for the rest of the run. */
  answer(id: string, allow: boolean, remember = true): boolean {
    return this.settle(id, allow ? 'allow' : 'block', remember);
  }

  /** Block every open question (service shutting down). */
  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, 'block', false);
  }

  private settle(id: string, a: CertificateAnswer, remember: boolean): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    if (remember) this.remembered.set(p.key, a);
    p.resolve(a);
    return true;
  }
}
