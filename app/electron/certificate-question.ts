// Certificate questions (SSL/TLS "ask" policy, Interactive mode): the engine emits 'certificateQuestion'
// and waits for an answer; the desktop asks the user. No answer in time means Block, the safe choice.
// The same server and certificate asked twice while a dialog is open share the one dialog.
import type { CertificateQuestion } from '../../shared/events.ts';

export interface CertificateAnswer {
  allow: boolean;
  /** Keep the decision as a certificate rule so the question is not asked again. */
  remember: boolean;
}

/**
 * How long a question waits for the user before it is answered Block. Shorter than the TLS layer's own
 * wait (main/tls/questions.ts, 60 s), so the dialog closes before the connection gives up on it.
 */
export const CERTIFICATE_QUESTION_TIMEOUT_MS = 45_000;

export interface DialogText {
  title: string;
  message: string;
  detail: string;
  buttons: ['Block', 'Allow'];
  checkboxLabel: string;
}

export function certificateDialogText(q: CertificateQuestion): DialogText {
  const what = q.kind === 'invalid' ? 'an invalid certificate' : 'a certificate that cannot be verified';
  return {
    title: 'Mailward — certificate check',
    message: `${q.server} presented ${what}.`,
    detail: [
      `Reason: ${q.reason}`,
      `Fingerprint (SHA-256): ${q.fingerprint}`,
      '',
      'Allow only if you know this server uses this certificate. Without an answer the connection is blocked.',
    ].join('\n'),
    buttons: ['Block', 'Allow'],
    checkboxLabel: 'Remember this decision for this certificate',
  };
}

/** Shows the question; resolves with the user's answer, or Block when `signal` aborts (timeout). */
export type AskUser = (q: CertificateQuestion, signal: AbortSignal) => Promise<CertificateAnswer>;

export class CertificateQuestions {
  private readonly open = new Map<string, Promise<CertificateAnswer>>();
  private readonly controllers = new Set<AbortController>();

  constructor(
    private readonly ask: AskUser,
    private readonly answer: (id: string, a: CertificateAnswer) => void,
    private readonly timeoutMs = CERTIFICATE_QUESTION_TIMEOUT_MS,
  ) {}

  async handle(q: CertificateQuestion): Promise<CertificateAnswer> {
    const key = `${q.server}\n${q.fingerprint}`;
    let pending = this.open.get(key);
    if (!pending) {
      pending = this.askWithTimeout(q).finally(() => this.open.delete(key));
      this.open.set(key, pending);
    }
    const result = await pending;
    this.answer(q.id, result);
    return result;
  }

  /** Close every open dialog: each pending question is answered Block (shutdown). */
  closeAll(): void {
    for (const c of this.controllers) c.abort();
  }

  private async askWithTimeout(q: CertificateQuestion): Promise<CertificateAnswer> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const result = await this.ask(q, controller.signal);
      // A dialog closed by the timeout is a Block that is not remembered, whatever the checkbox said.
      return controller.signal.aborted ? { allow: false, remember: false } : result;
    } catch {
      return { allow: false, remember: false };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }
}
