// Certificate questions: the engine raises 'certificateQuestion' and a host that can ask the user (the
// desktop shell, or the console's "Allow and remember") answers with answer(id, allow, remember). Without
// such a host (headless) the answer is block at once, and the question stays listed so the user can still
// decide later. A remembered answer becomes a certificate rule (persisted by the host), not run memory.
import { randomUUID } from 'node:crypto';
import type { CertificateQuestion } from '../../shared/events.ts';
import type { CertificateRule } from '../../shared/settings/index.ts';

/** How long a connection waits for the user before the certificate is treated as blocked. */
export const QUESTION_TIMEOUT_MS = 60_000;
/** Recent questions kept for listCertificateQuestions (memory only). */
export const RECENT_QUESTIONS = 50;

export type CertificateAnswer = 'allow' | 'block';
export type AskedCertificate = Omit<CertificateQuestion, 'id' | 'time' | 'state'>;

export class CertificateQuestions {
  /** Set by a host that shows questions to the user and calls answer(). Headless: false. */
  interactive = false;
  private readonly pending = new Map<string, (a: CertificateAnswer) => void>();
  /** Most recent first. */
  private recent: CertificateQuestion[] = [];

  constructor(
    private readonly raise: (q: CertificateQuestion) => void,
    /** Keep a remembered answer as a certificate rule (settings store); the TLS layer then finds it. */
    private readonly remember: (rule: CertificateRule) => void = () => {},
  ) {}

  /** Ask about a certificate: waits for answer() when interactive, else records the question and blocks. */
  async ask(q: AskedCertificate): Promise<CertificateAnswer> {
    const question: CertificateQuestion = {
      id: randomUUID(),
      ...q,
      time: new Date().toISOString(),
      state: this.interactive ? 'pending' : 'blocked',
    };
    this.recent = [question, ...this.recent].slice(0, RECENT_QUESTIONS);
    if (!this.interactive) {
      this.raise(question);
      return 'block';
    }
    return new Promise<CertificateAnswer>((resolve) => {
      const timer = setTimeout(() => this.settle(question, 'block'), QUESTION_TIMEOUT_MS);
      timer.unref();
      this.pending.set(question.id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.raise(question);
    });
  }

  /**
   * The user's answer. A waiting connection gets it; a question already blocked (headless) can still be
   * answered with remember, which adds the rule so the next connection follows it. False: unknown id.
   */
  answer(id: string, allow: boolean, remember = true): boolean {
    const q = this.recent.find((x) => x.id === id);
    if (!q) return false;
    const a: CertificateAnswer = allow ? 'allow' : 'block';
    if (remember)
      this.remember({
        host: q.host,
        fingerprint: q.fingerprint,
        access: a,
        note: `answered for ${q.server}`,
        created: new Date().toISOString(),
      });
    if (this.pending.has(id)) this.settle(q, a);
    else if (remember) q.state = a === 'allow' ? 'allowed' : 'blocked';
    return true;
  }

  /** Recent questions, most recent first (copies). */
  list(): CertificateQuestion[] {
    return this.recent.map((q) => ({ ...q }));
  }

  /** Block every open question (service shutting down). */
  close(): void {
    for (const q of this.recent) if (this.pending.has(q.id)) this.settle(q, 'block');
  }

  private settle(q: CertificateQuestion, a: CertificateAnswer): void {
    const resolve = this.pending.get(q.id);
    if (!resolve) return;
    this.pending.delete(q.id);
    q.state = a === 'allow' ? 'allowed' : 'blocked';
    resolve(a);
  }
}
