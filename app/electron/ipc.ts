// Registers one ipcMain handler per API method (shared/api.ts) and forwards engine events to our window
// on the single event channel. All checks live in ipc-dispatch.ts.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, IPC_EVENT_CHANNEL, ipcChannel, type MailwardApi } from '../../shared/api.ts';
import { dispatchIpcCall, type DispatchContext } from './ipc-dispatch.ts';
import type { SenderInfo } from './security.ts';

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null,
  };
}

export interface IpcBridge {
  close(): void;
}

export function registerApiIpc(
  ctx: DispatchContext & { api: MailwardApi; send: (channel: string, payload: unknown) => void },
): IpcBridge {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, ...args: unknown[]) =>
      dispatchIpcCall(ctx, method, senderInfo(event), args),
    );
  }
  const unsubscribe = ctx.api.onEvent((event) => ctx.send(IPC_EVENT_CHANNEL, event));
  return {
    close() {
      unsubscribe();
      for (const method of API_METHODS) ipcMain.removeHandler(ipcChannel(method));
    },
  };
}
