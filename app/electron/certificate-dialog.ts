// The native dialog for a certificate question: Allow / Block with "remember"; closing or timing out
// means Block (cancelId).
import { dialog, type BrowserWindow } from 'electron';
import type { CertificateQuestion } from '../../shared/events.ts';
import { certificateDialogText, type AskUser, type CertificateAnswer } from './certificate-question.ts';

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
