// The renderer's only door to Mailward: window.mailward, exactly the MailwardApi (shared/api.ts) and
// nothing else — no ipcRenderer, no Node. Calls come back as ApiResult; failures reject with
// {code, message}. Engine events arrive on one channel and fan out to the subscribers here.
import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  ipcChannel,
  type ApiEvent,
  type ApiMethod,
  type ApiResult,
  type MailwardApi,
} from '../../shared/api.ts';

async function invoke<T>(method: ApiMethod, ...args: unknown[]): Promise<T> {
  const result = (await ipcRenderer.invoke(ipcChannel(method), ...args)) as ApiResult<T>;
  if (result.ok) return result.value;
  // A plain object survives contextBridge intact; an Error would keep only its message.
  throw result.error;
}

const listeners = new Set<(event: ApiEvent) => void>();
let subscribed = false;

function onEvent(listener: (event: ApiEvent) => void): () => void {
  if (!subscribed) {
    // The IpcRendererEvent is not passed on: it would hand the page a handle to ipcRenderer.
    ipcRenderer.on(IPC_EVENT_CHANNEL, (_e, event: ApiEvent) => {
      for (const l of listeners) l(event);
    });
    subscribed = true;
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

const api: MailwardApi = {
  getSettings: () => invoke('getSettings'),
  setSettings: (next) => invoke('setSettings', next),
  getStatus: () => invoke('getStatus'),
  pause: (minutes) => invoke('pause', minutes),
  resume: () => invoke('resume'),
  listDetections: () => invoke('listDetections'),
  getQuarantinedOriginal: (id) => invoke('getQuarantinedOriginal', id),
  exportCa: () => invoke('exportCa'),
  getStats: () => invoke('getStats'),
  listCertificateQuestions: () => invoke('listCertificateQuestions'),
  answerCertificateQuestion: (id, allow, remember) =>
    invoke('answerCertificateQuestion', id, allow, remember),
  onEvent,
};

contextBridge.exposeInMainWorld('mailward', api);
