// Starts the headless settings console for a running engine: the built renderer and the MailwardApi over
// HTTP (POST /api/METHOD, JSON `{"args": [...]}`) and a WebSocket of engine events (/api/events), on
// 127.0.0.1 only unless the host says otherwise. See guard.ts for the security rules.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../../main/engine.ts';
import type { CaInfo, MailwardApi } from '../../shared/api.ts';
import { createEngineApi, type CertificateQuestionsHost } from '../api/engine-api.ts';
import { dispatchApiCall } from '../api/dispatch.ts';
import { checkHostAndOrigin, checkToken, securityHeaders, type GuardConfig } from './guard.ts';
import { readStatic } from './static.ts';
import { ensureRendererBuilt, RENDERER_DIR } from './renderer-build.ts';

export interface ConsoleOptions {
  /** Port on 127.0.0.1; from `--console-port` or the `console.port` setting (0: any free port). */
  port: number;
  /** Bind address; anything but loopback needs `exposeBeyondLoopback`. */
  host?: string;
  /** The flag that allows binding beyond loopback (the token then is the only protection). */
  exposeBeyondLoopback?: boolean;
  print: (line: string) => void;
  /** Extra API bits the host provides (CA export comes from main/tls). */
  exportCa?: () => Promise<CaInfo>;
  /** Certificate questions of the TLS layer (listed and answered from the console). */
  certificates?: () => CertificateQuestionsHost | null;
  /** The built renderer (default dist/renderer, built on first start when missing). */
  rendererDir?: string;
  /** A fixed token (tests); random per run otherwise. */
  token?: string;
}

export interface RunningConsole {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY = 4 * 1024 * 1024;

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  res.writeHead(status, headers);
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startConsole(engine: Engine, opts: ConsoleOptions): Promise<RunningConsole | null> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !opts.exposeBeyondLoopback)
    throw new Error(`the console binds only to loopback; ${host} needs the flag that exposes it`);
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  ensureRendererBuilt(rendererDir, opts.print);

  const api: MailwardApi = createEngineApi(engine, {
    exportCa: opts.exportCa,
    certificates: opts.certificates,
  });
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const cfg: GuardConfig = { token, port: opts.port, extraHosts: LOOPBACK.has(host) ? [] : [host] };
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(
      res,
      status,
      { ...securityHeaders(cfg), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      JSON.stringify(value),
    );
  const refuse = (res: ServerResponse, status: number, message: string) =>
    json(res, status, { ok: false, error: { code: 'forbidden', message } });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const place = checkHostAndOrigin(req, cfg);
    if (!place.ok) return refuse(res, place.status, place.message);
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (path.startsWith('/api/')) {
      const auth = checkToken(req, cfg, false);
      if (!auth.ok) return refuse(res, auth.status, auth.message);
      if (req.method !== 'POST') return refuse(res, 405, 'API calls are POST requests');
      let args: unknown = [];
      try {
        const text = await readBody(req);
        if (text) args = (JSON.parse(text) as { args?: unknown }).args ?? [];
      } catch {
        return json(res, 400, { ok: false, error: { code: 'invalid_input', message: 'Body is not JSON' } });
      }
      const result = await dispatchApiCall(api, path.slice(5), args, (err) =>
        engine.log.error({ err }, 'console API call failed'),
      );
      const status = result.ok
        ? 200
        : result.error.code === 'not_found'
          ? 404
          : result.error.code === 'internal'
            ? 500
            : 400;
      return json(res, status, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET');
    const file = await readStatic(rendererDir, path);
    if (!file) return send(res, 404, { ...securityHeaders(cfg), 'Content-Type': 'text/plain' }, 'Not found');
    send(
      res,
      200,
      {
        ...securityHeaders(cfg),
        'Content-Type': file.type,
        'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      req.method === 'HEAD' ? '' : file.body,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      engine.log.error({ err }, 'console request failed');
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'Internal error');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    const place = checkHostAndOrigin(req, cfg);
    const verdict = !place.ok
      ? place
      : path !== '/api/events'
        ? { ok: false as const, status: 404 }
        : checkToken(req, cfg, true);
    if (!verdict.ok) {
      socket.end(
        `HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });
  const unsubscribe = api.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    unsubscribe();
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${opts.port} is in use (choose another with --console-port)`
        : (err as Error).message;
    engine.log.warn({ err }, 'console not started');
    opts.print(`console unavailable: ${why}`);
    return null;
  }
  const port = (server.address() as AddressInfo).port;
  cfg.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/#token=${token}`;
  opts.print(`console ${url}`);

  return {
    url,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
