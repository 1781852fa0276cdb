// MailwardApi for the browser console: calls are `POST /api/METHOD` with the per-run token, events come
// over one WebSocket that reconnects with backoff. After a reconnect it re-reads settings, status and stats
// so a UI that missed events while the service restarted is current again.
import type { ApiError, ApiEvent, ApiMethod, ApiResult, MailwardApi } from '../../shared/api.ts';

export class ApiCallError extends Error {
  constructor(readonly error: ApiError & { status?: number }) {
    super(error.message);
  }
}

export interface HttpApiOptions {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
}

export function createHttpApi(opts: HttpApiOptions): MailwardApi {
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  const call = async (method: ApiMethod, ...args: unknown[]): Promise<any> => {
    const res = await fetchImpl(`${opts.origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    let body: ApiResult<unknown>;
    try {
      body = (await res.json()) as ApiResult<unknown>;
    } catch {
      throw new ApiCallError({
        code: 'internal',
        message: `The console answered ${res.status}`,
        status: res.status,
      });
    }
    if (!body.ok) throw new ApiCallError({ ...body.error, status: res.status });
    return body.value;
  };

  const listeners = new Set<(e: ApiEvent) => void>();
  const emit = (e: ApiEvent) => listeners.forEach((l) => l(e));
  let socket: WebSocket | null = null;
  let retryMs = 500;
  let opened = false;
  const connect = () => {
    const WS = opts.WebSocketImpl ?? WebSocket;
    const wsOrigin = opts.origin.replace(/^http/, 'ws');
    socket = new WS(`${wsOrigin}/api/events?token=${encodeURIComponent(opts.token)}`);
    socket.onopen = () => {
      retryMs = 500;
      if (opened) void resync();
      opened = true;
    };
    socket.onmessage = (m) => {
      try {
        emit(JSON.parse(String(m.data)) as ApiEvent);
      } catch {
        /* not ours */
      }
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      setTimeout(() => listeners.size > 0 && !socket && connect(), retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  const resync = async () => {
    try {
      emit({ type: 'settings', settings: await call('getSettings') });
      emit({ type: 'status', status: await call('getStatus') });
      emit({ type: 'stats', stats: await call('getStats') });
    } catch {
      /* the next reconnect tries again */
    }
  };

  return {
    getSettings: () => call('getSettings'),
    setSettings: (next) => call('setSettings', next),
    getStatus: () => call('getStatus'),
    pause: (minutes) => call('pause', minutes),
    resume: () => call('resume'),
    listDetections: () => call('listDetections'),
    getQuarantinedOriginal: (id) => call('getQuarantinedOriginal', id),
    exportCa: () => call('exportCa'),
    getStats: () => call('getStats'),
    listCertificateQuestions: () => call('listCertificateQuestions'),
    answerCertificateQuestion: (id, allow, remember) =>
      call('answerCertificateQuestion', id, allow, remember),
    onEvent(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}
