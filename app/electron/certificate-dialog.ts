// The native dialog for a certificate question: Allow / Block with "remember"; closing or timing out
// means Block (cancelId).
import { BrowserWindow, dialog } from 'electron';
import type { Engine } from '../../main/engine.ts';
import type { CertificateQuestions as TlsLayerQuestions } from '../../main/tls/questions.ts';
import type { CertificateQuestion } from '../../shared/events.ts';
import {
  certificateDialogText,
  CertificateQuestions,
  type AskUser,
  type CertificateAnswer,
} from './certificate-question.ts';

/** The TLS layer's side of a question (main/tls/questions.ts): it waits when interactive, takes answers. */
export type TlsQuestions = Pick<TlsLayerQuestions, 'interactive' | 'answer' | 'list'>;

export function certificateDialog(parent: () => BrowserWindow | null): AskUser {
  return async (q: CertificateQuestion, signal: AbortSignal): Promise<CertificateAnswer> => {
    const text = certificateDialogText(q);
    const options: Electron.MessageBoxOptions = {
      type: 'warning',
      title: text.title,
      message: text.message,
      detail: text.detail,
      buttons: text.buttons,
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      checkboxLabel: text.checkboxLabel,
      checkboxChecked: false,
      signal,
    };
    const win = parent();
    const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return { allow: r.response === 1, remember: r.checkboxChecked };
  };
}

/**
 * Shows a dialog for each question the engine raises while the TLS layer waits for an answer, and
 * hands the answer back to it. Returns the open questions (closed at shutdown, answering Block).
 */
export function askCertificateQuestions(
  engine: Pick<Engine, 'on' | 'log'>,
  tls: () => TlsQuestions | null,
): CertificateQuestions {
  const questions = new CertificateQuestions(
    certificateDialog(() => BrowserWindow.getFocusedWindow()),
    (id, answer) => {
      const taken = tls()?.answer(id, answer.allow, answer.remember) ?? false;
      engine.log.info({ id, ...answer, taken }, 'certificate question answered');
    },
  );
  engine.on('certificateQuestion', (q) => {
    // Without an interactive TLS layer the question was already answered Block; nothing to ask.
    if (tls()?.interactive)
      questions
        .handle(q)
        .catch((err: Error) =>
          engine.log.error({ id: q.id, err: err.message }, 'certificate question failed'),
        );
  });
  return questions;
}
