// The preload under the fake electron: window.mailward is exactly the MailwardApi, calls go over the
// API channels, failures reject with {code, message}, events arrive on the one event channel.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  API_METHODS,
  IPC_EVENT_CHANNEL,
  ipcChannel,
  type ApiEvent,
  type MailwardApi,
} from '../../shared/api.ts';
import * as electron from './test/fake-electron.ts';

vi.mock('electron', () => import('./test/fake-electron.ts'));
const { contextBridge, ipcRenderer } = electron;

let api: MailwardApi;
beforeAll(async () => {
  electron.resetFakeElectron();
  await import('./preload.ts');
  api = contextBridge.exposed.get('mailward');
});

describe('preload', () => {
  it('exposes window.mailward with exactly the API methods and onEvent, nothing else', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['mailward']);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onEvent'].sort());
  });

  it('a call goes over its channel with its arguments and resolves with the value', async () => {
    ipcRenderer.respond = () => ({ ok: true, value: { paused: true } });
    await expect(api.pause(10)).resolves.toEqual({ paused: true });
    expect(ipcRenderer.invocations.at(-1)).toEqual({ channel: ipcChannel('pause'), args: [10] });
  });

  it('a refused call rejects with {code, message}', async () => {
    ipcRenderer.respond = () => ({
      ok: false,
      error: { code: 'invalid_input', message: 'Bad arguments for pause' },
    });
    await expect(api.pause(-1)).rejects.toEqual({
      code: 'invalid_input',
      message: 'Bad arguments for pause',
    });
  });

  it('events fan out from the one channel; the page never sees the IPC event object', () => {
    const a: unknown[][] = [];
    const b: unknown[][] = [];
    const offA = api.onEvent((...args) => a.push(args));
    api.onEvent((...args) => b.push(args));
    const ev: ApiEvent = { type: 'warning', message: 'settings file was invalid' };
    ipcRenderer.emit(IPC_EVENT_CHANNEL, { sender: 'ipc internals' }, ev);
    offA();
    ipcRenderer.emit(IPC_EVENT_CHANNEL, { sender: 'ipc internals' }, ev);
    expect(a).toEqual([[ev]]);
    expect(b).toEqual([[ev], [ev]]);
    expect(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
  });
});
