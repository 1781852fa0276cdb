// The TLS steps of a proxy session (sockets, with server.ts and session.ts): implicit TLS (pop3s/imaps)
// with the ClientHello read first, STLS/STARTTLS upgrades (server leg first, then the client leg with a
// minted certificate), and the handshake wait with its timeout. Session state stays in session.ts.
import type { Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket, type PeerCertificate } from 'node:tls';
import type { Logger } from '../log.ts';
import { peekClientHello } from '../tls/client-hello.ts';
import type { TlsInterceptor } from '../tls/interceptor.ts';
import type { ProxyLayer, SessionInfo } from './layer.ts';
import { formatUpstream, type ParsedRoute } from './routes.ts';

/** A TLS handshake (either leg) that does not finish in this time fails. */
const HANDSHAKE_TIMEOUT_MS = 30_000;
/** A client that sends no complete ClientHello in this time is dropped. */
const HELLO_TIMEOUT_MS = 30_000;

export type Leg = Socket | TLSSocket;

/** What the TLS steps read and change of a session (session.ts's Session is one). */
export interface TlsSession {
  readonly route: ParsedRoute;
  /** The accepted TCP socket (the client leg before any TLS). */
  readonly client: Socket;
  readonly opts: { readonly tls: TlsInterceptor };
  readonly log: Logger;
  readonly info: SessionInfo;
  readonly layer?: ProxyLayer;
  readonly closed: boolean;
  clientLeg: Leg;
  serverLeg: Leg;
  serverSetup: boolean;
  upstreamCert?: PeerCertificate;
  wire(which?: 'both' | 'client' | 'server'): void;
  unwire(leg: Leg): void;
  trackClose(leg: Leg, side: 'client' | 'server'): void;
  guard(fn: () => void): void;
  onSocketError(side: 'client' | 'server', err: Error): void;
  endServerSetup(): void;
  shutdown(reason: string): Promise<void>;
  destroy(): void;
}

type ServerTlsResult = { ok: boolean; reason?: string; cert?: PeerCertificate };

/** Upstream TLS on the current server leg; the judgement applies the sslTls policies. */
async function serverTls(s: TlsSession, sni?: string): Promise<ServerTlsResult> {
  s.serverSetup = true;
  const raw = s.serverLeg as Socket;
  s.unwire(raw);
  const { tls } = s.opts;
  const host = s.route.upstreamHost;
  const sock = tlsConnect({ ...tls.upstreamOptions(host, sni), socket: raw });
  try {
    await handshake(sock, 'secureConnect', (err) => s.onSocketError('server', err));
  } catch (err) {
    return { ok: false, reason: tls.describeFailure(err as NodeJS.ErrnoException, sni ?? host) };
  }
  s.serverLeg = sock;
  s.trackClose(sock, 'server');
  s.info.serverTls = true;
  const cert = sock.getPeerCertificate();
  const verdict = await tls.judge(sock, sni ?? host, formatUpstream(s.route));
  return verdict.ok ? { ok: true, cert } : { ok: false, reason: verdict.reason, cert };
}

/** Answer the client's ClientHello (read earlier, or now) with a certificate minted for its SNI. */
async function clientTls(
  s: TlsSession,
  upstreamCert?: PeerCertificate,
  peeked?: HelloResult,
): Promise<boolean> {
  const raw = s.clientLeg as Socket;
  s.unwire(raw);
  const hello = peeked ?? (await readClientHello(raw));
  if (!hello.ok) {
    s.log.warn({ reason: hello.reason }, 'client TLS handshake not started');
    s.destroy();
    return false;
  }
  const names = [hello.sni, s.route.upstreamHost, s.route.listenHost].filter(Boolean) as string[];
  const secureContext = s.opts.tls.clientContext(
    upstreamCert && Object.keys(upstreamCert).length ? upstreamCert : undefined,
    names,
  );
  raw.unshift(hello.bytes);
  const sock = new TLSSocket(raw, { isServer: true, secureContext, requestCert: false });
  try {
    await handshake(sock, 'secure', (err) => s.onSocketError('client', err));
  } catch (err) {
    const message = (err as Error).message;
    // A client that distrusts the certificate answers with a TLS alert (unknown ca, bad certificate…).
    if (/alert/i.test(message))
      s.log.warn(
        { err: message, names },
        "the mail client rejected Mailward's certificate (is the Mailward root CA trusted by the client?)",
      );
    else s.log.info({ err: message }, 'client TLS handshake did not complete');
    s.destroy();
    return false;
  }
  s.clientLeg = sock;
  s.trackClose(sock, 'client');
  s.info.clientTls = true;
  return true;
}

function readClientHello(raw: Socket): Promise<HelloResult> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (r: HelloResult) => {
      clearTimeout(timer);
      raw.pause();
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onEnd);
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: 'no TLS ClientHello in time' }),
      HELLO_TIMEOUT_MS,
    );
    timer.unref();
    const onEnd = () => done({ ok: false, reason: 'client closed before TLS' });
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const p = peekClientHello(buf);
      if (p.state === 'complete') done({ ok: true, sni: p.sni, bytes: buf });
      else if (p.state === 'notTls') done({ ok: false, reason: p.reason });
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('close', onEnd);
    raw.resume();
  });
}

/** pop3s/imaps: read the ClientHello, TLS to the server with the client's SNI, then TLS with the client. */
export async function startImplicitTls(s: TlsSession): Promise<void> {
  s.serverSetup = true;
  const server = s.serverLeg as Socket;
  const connected = new Promise<string | null>((resolve) => {
    server.once('connect', () => resolve(null));
    server.once('error', (err) => resolve(err.message));
  });
  // The ClientHello is read while the TCP connection to the server is being made.
  const hello = await readClientHello(s.client);
  const connectError = await connected;
  if (s.closed) return;
  let result: ServerTlsResult;
  if (!hello.ok) result = { ok: false };
  else if (connectError) {
    s.log.warn({ err: connectError }, 'cannot connect to the mail server');
    result = { ok: false, reason: `cannot connect to ${formatUpstream(s.route)} (${connectError})` };
  } else result = await serverTls(s, hello.sni);
  if (s.closed) return;
  if (!(await clientTls(s, result.cert, hello))) return;
  s.wire('client');
  if (!result.ok) {
    const reason = result.reason!;
    if (connectError && s.layer?.onServerConnectFailed)
      s.guard(() => s.layer!.onServerConnectFailed!(reason));
    else if (s.layer) s.guard(() => s.layer!.onServerTlsFailed(reason));
    else void s.shutdown(reason);
    return;
  }
  s.guard(() => s.layer?.onServerTlsReady());
  s.wire('server');
  s.endServerSetup();
}

/** After STLS/STARTTLS was accepted upstream. */
export async function upgradeServer(s: TlsSession): Promise<void> {
  const r = await serverTls(s);
  if (s.closed) return;
  if (!r.ok) return s.guard(() => s.layer?.onServerTlsFailed(r.reason!));
  s.upstreamCert = r.cert;
  s.wire('server');
  s.guard(() => s.layer?.onServerTlsReady());
  s.endServerSetup();
}

export async function upgradeClient(s: TlsSession): Promise<void> {
  if (!(await clientTls(s, s.upstreamCert))) return;
  s.wire('client');
  s.guard(() => s.layer?.onClientTlsReady());
}

/**
 * Wait for a TLS handshake: resolves on `event`, rejects on an error or after HANDSHAKE_TIMEOUT_MS.
 * The socket stays paused; later errors go to `onError`.
 */
function handshake(
  sock: TLSSocket,
  event: 'secure' | 'secureConnect',
  onError: (err: Error) => void,
): Promise<void> {
  sock.pause();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => sock.destroy(new Error('TLS handshake timed out')), HANDSHAKE_TIMEOUT_MS);
    timer.unref();
    const closed = () => failed(new Error('the connection closed during the TLS handshake'));
    const failed = (err: Error) => {
      clearTimeout(timer);
      sock.off(event, done);
      sock.off('close', closed);
      sock.on('error', () => {}); // the session reports the failure; later errors of this socket are moot
      reject(err);
    };
    const done = () => {
      clearTimeout(timer);
      sock.off('error', failed);
      sock.off('close', closed);
      sock.on('error', onError);
      resolve();
    };
    sock.once(event, done);
    sock.once('error', failed);
    sock.once('close', closed);
  });
}

type HelloResult = { ok: true; sni?: string; bytes: Buffer } | { ok: false; reason: string };
