// The only module of the proxy that touches sockets. Per route it listens; per client it connects
// upstream at once (POP3/IMAP servers speak first), sets TCP_NODELAY on both legs (Nagle + delayed ACK
// stalls ~40 ms per round trip), drives the protocol's sans-I/O layer and executes its commands:
// bytes to either side with back-pressure, TLS upgrades (server leg first, then the client leg with a
// minted certificate), raw relay, close. Implicit-TLS routes terminate TLS on the client leg as well.
// Errors end one session, never the process.
import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket, type PeerCertificate } from 'node:tls';
import type { Engine } from '../engine.ts';
import type { Logger } from '../log.ts';
import { peekClientHello } from '../tls/client-hello.ts';
import type { TlsInterceptor } from '../tls/interceptor.ts';
import type { LayerContext, ProxyCommand, ProxyLayer, SessionInfo } from './layer.ts';
import { layerFor } from './protocols.ts';
import { excludedBy } from './exclusions.ts';
import { isExcludedProgram, localClientProgram } from './client-process.ts';
import { formatUpstream, type ParsedRoute } from './routes.ts';

/** A server that does not accept the TCP connection in this time is reported to the client as unreachable. */
const CONNECT_TIMEOUT_MS = 20_000;
/** After `close`, sockets that do not finish flushing are destroyed after this. */
const CLOSE_GRACE_MS = 5_000;
/** A TLS handshake (either leg) that does not finish in this time fails. */
const HANDSHAKE_TIMEOUT_MS = 30_000;
/** TCP keep-alive probes on both legs after this much silence. */
const KEEPALIVE_MS = 60_000;
/** A client that sends no complete ClientHello in this time is dropped. */
const HELLO_TIMEOUT_MS = 30_000;

export interface ProxyServerOptions {
  engine: Engine;
  tls: TlsInterceptor;
  log: Logger;
}

export interface BoundListener {
  route: ParsedRoute;
  host: string;
  port: number;
  /** Stop accepting on this listener (sessions already open go on). */
  close(): Promise<void>;
}

export class ProxyServer {
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<Session>();

  constructor(private readonly opts: ProxyServerOptions) {}

  /** Listen for one route; resolves with the bound address (port 0 in the route = any free port). */
  listen(route: ParsedRoute): Promise<BoundListener> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) =>
        this.accept(route, socket),
      );
      server.once('error', reject);
      server.listen(route.listenPort, route.listenHost, () => {
        server.off('error', reject);
        server.on('error', (err) => this.opts.log.error({ err: err.message }, 'listener error'));
        this.servers.push(server);
        const addr = server.address();
        resolve({
          route,
          host: route.listenHost,
          port: typeof addr === 'object' && addr ? addr.port : 0,
          close: () => {
            this.servers.splice(this.servers.indexOf(server) >>> 0, 1);
            // Resolves once stopped accepting; sessions already open go on.
            return new Promise((r) => {
              server.close();
              setImmediate(r);
            });
          },
        });
      });
    });
  }

  /** Stop listening and end every session (aborting those that do not finish within the grace time). */
  async close(): Promise<void> {
    // server.close() calls back only once its connections are gone: stop accepting, end sessions, then wait.
    const stopped = this.servers.map((s) => new Promise((r) => s.close(r)));
    await Promise.all([...this.sessions].map((s) => s.shutdown('service stopping')));
    await Promise.all(stopped);
  }

  private accept(route: ParsedRoute, socket: Socket): void {
    const excludedApps =
      this.opts.engine.currentSettings().webAndEmail.protocolFiltering.excludedApplications;
    if (excludedApps.length > 0 && isLoopback(socket.remoteAddress)) {
      // Only then is the client program looked up (it costs a walk of /proc); it stays paused meanwhile.
      void localClientProgram(socket.remotePort ?? 0, socket.localPort ?? 0)
        .catch(() => null)
        .then((program) =>
          this.startSession(route, socket, program && isExcludedProgram(program, excludedApps)),
        );
    } else this.startSession(route, socket, null);
  }

  private startSession(route: ParsedRoute, socket: Socket, excludedProgram: string | null): void {
    try {
      const session = new Session(route, socket, this.opts, () => this.sessions.delete(session));
      this.sessions.add(session);
      session.start(excludedProgram);
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'could not start a session');
      socket.destroy();
    }
  }
}

type Leg = Socket | TLSSocket;

class Session {
  private readonly id = randomUUID().slice(0, 8);
  private readonly log: Logger;
  private readonly info: SessionInfo;
  private clientLeg: Leg;
  private serverLeg: Leg;
  private layer?: ProxyLayer;
  private relaying = false;
  private closed = false;
  private isDone = false;
  /** Each side's end/close is reported once (to the layer, or to the other leg when relaying). */
  private clientGone = false;
  private serverGone = false;
  /** The server leg is being set up (TCP connect + TLS for implicit TLS, or an STLS upgrade): its failures
   * are reported to the layer as a refused/failed TLS, not as a closed server. */
  private serverSetup = false;
  private serverLostInSetup = false;
  /** Why the server leg is not being read: the layer asked, or the client's write buffer is full. */
  private serverPause = { layer: false, backpressure: false };
  private readonly awaitingDrain = new Set<Leg>();
  private upstreamCert?: PeerCertificate;
  private readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly route: ParsedRoute,
    private readonly client: Socket,
    private readonly opts: ProxyServerOptions,
    private readonly onDone: () => void,
  ) {
    this.log = opts.log.child({ session: this.id });
    this.clientLeg = client;
    this.serverLeg = tcpConnect({
      host: route.upstreamHost,
      port: route.upstreamPort,
      noDelay: true,
      // Long idle sessions (IMAP IDLE) through NATs and firewalls stay up.
      keepAlive: true,
      keepAliveInitialDelay: KEEPALIVE_MS,
    });
    this.info = {
      id: this.id,
      protocol: route.scheme,
      serverHost: route.upstreamHost,
      serverPort: route.upstreamPort,
      clientAddress: `${client.remoteAddress}:${client.remotePort}`,
      clientTls: false,
      serverTls: false,
    };
    this.finished = new Promise((r) => (this.finish = r));
  }

  /** `excludedProgram`: the client is an excluded application (its entry), so nothing is checked. */
  start(excludedProgram: string | null = null): void {
    const { engine } = this.opts;
    const client = this.client;
    const server = this.serverLeg as Socket;
    client.setNoDelay(true);
    client.setKeepAlive(true, KEEPALIVE_MS);
    server.setNoDelay(true);
    client.on('error', (err) => this.onSocketError('client', err));
    server.on('error', (err) => this.onSocketError('server', err));
    this.trackClose(client, 'client');
    this.trackClose(server, 'server');
    server.setTimeout(CONNECT_TIMEOUT_MS, () => server.destroy(new Error('connection timed out')));
    server.once('connect', () => server.setTimeout(0));

    // Excluded IP addresses (client or server) are not checked at all: not scanned, TLS not intercepted.
    const excluded =
      excludedProgram ??
      excludedBy(engine.currentSettings(), [client.remoteAddress, this.route.upstreamHost]);
    const filtering = !excluded && engine.isFiltering(this.route.scheme);
    const factory = layerFor(this.route.scheme);
    const terminateTls =
      !excluded && this.route.implicitTls && engine.currentSettings().webAndEmail.sslTls.enabled;
    this.log.info(
      {
        client: this.info.clientAddress,
        upstream: formatUpstream(this.route),
        filtering,
        tls: terminateTls,
        ...(excluded ? { excludedBy: excluded } : {}),
      },
      'session opened',
    );
    // Bytes pass unchanged, end to end: unfiltered plain sessions, and TLS we may not intercept.
    const rawRelay = this.route.implicitTls ? !terminateTls : !filtering || !factory;
    if (rawRelay) {
      this.relaying = true;
      server.once('connect', () => this.wire());
      return;
    }
    // A TLS-terminated session keeps its layer even when not scanning: CAPA must still lose what cannot
    // survive interception, and a refused certificate must still be explained to the client.
    if (factory) this.layer = factory(this.layerContext(filtering));
    else this.relaying = true;
    if (terminateTls) void this.startImplicitTls();
    else server.once('connect', () => this.wire());
  }

  private layerContext(filtering: boolean): LayerContext {
    const { engine } = this.opts;
    return {
      session: this.info,
      emit: (c) => this.execute(c),
      processMessage: (raw, ctx, signal) => engine.processMessage(raw, ctx, signal),
      settings: () => engine.currentSettings(),
      filtering,
    };
  }

  // ---- wiring ----

  /** Attach data handlers to the current legs (again after a TLS upgrade replaced one). */
  private wire(which: 'both' | 'client' | 'server' = 'both'): void {
    if (which !== 'server') {
      this.clientLeg.on('data', (d: Buffer) => this.fromClient(d));
      this.clientLeg.on('end', () => this.sideGone('client'));
      this.clientLeg.resume();
    }
    if (which !== 'client') {
      this.serverLeg.on('data', (d: Buffer) => this.fromServer(d));
      this.serverLeg.on('end', () => this.sideGone('server'));
      this.updateServerFlow();
    }
  }

  private unwire(leg: Leg): void {
    leg.pause();
    leg.removeAllListeners('data');
    leg.removeAllListeners('end');
  }

  private trackClose(leg: Leg, side: 'client' | 'server'): void {
    leg.once('close', () => {
      if (leg !== (side === 'client' ? this.clientLeg : this.serverLeg) && leg !== this.client) return;
      this.sideGone(side);
      if (this.clientLeg.destroyed && this.serverLeg.destroyed) this.done();
    });
  }

  private fromClient(d: Buffer): void {
    if (this.relaying || !this.layer) this.write(this.serverLeg, d);
    else this.guard(() => this.layer!.onClientData(d));
  }

  private fromServer(d: Buffer): void {
    if (this.relaying || !this.layer) this.write(this.clientLeg, d);
    else this.guard(() => this.layer!.onServerData(d));
  }

  private sideGone(side: 'client' | 'server'): void {
    if (side === 'server' && this.serverSetup) {
      this.serverLostInSetup = true;
      return;
    }
    if (side === 'client') {
      if (this.clientGone) return;
      this.clientGone = true;
    } else {
      if (this.serverGone) return;
      this.serverGone = true;
    }
    if (this.closed) return;
    if (this.relaying || !this.layer) void this.shutdown(`${side} closed`);
    else if (side === 'client') this.guard(() => this.layer!.onClientClosed());
    else this.guard(() => this.layer!.onServerClosed());
  }

  /** A bug in a layer ends this session with a log entry, never the process. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: (err as Error).stack }, 'protocol layer failed; closing the session');
      this.destroy();
    }
  }

  /** Write with back-pressure: a full write buffer pauses reading from the other leg until drained. */
  private write(leg: Leg, data: Buffer): void {
    if (leg.destroyed || leg.writableEnded) return;
    if (leg.write(data) || this.awaitingDrain.has(leg)) return;
    this.awaitingDrain.add(leg);
    const toClient = leg === this.clientLeg;
    if (toClient) {
      this.serverPause.backpressure = true;
      this.updateServerFlow();
    } else this.clientLeg.pause();
    leg.once('drain', () => {
      this.awaitingDrain.delete(leg);
      if (toClient) {
        this.serverPause.backpressure = false;
        this.updateServerFlow();
      } else if (!this.clientLeg.destroyed) this.clientLeg.resume();
    });
  }

  /**
   * Layers emit an answer in pieces (a status line, then a held message) rather than concatenating
   * them (a copy of the message): writes within one tick leave as one writev / one TLS write.
   */
  private corked(leg: Leg): Leg {
    if (!leg.writableCorked) {
      leg.cork();
      process.nextTick(() => leg.uncork());
    }
    return leg;
  }

  private updateServerFlow(): void {
    if (this.serverPause.layer || this.serverPause.backpressure) this.serverLeg.pause();
    else this.serverLeg.resume();
  }

  // ---- layer commands ----

  private execute(c: ProxyCommand): void {
    switch (c.type) {
      case 'toClient':
        return this.write(this.corked(this.clientLeg), c.data);
      case 'toServer':
        return this.write(this.corked(this.serverLeg), c.data);
      case 'upgradeServerTls':
        return void this.upgradeServer();
      case 'upgradeClientTls':
        return void this.upgradeClient();
      case 'relay':
        this.log.info({ reason: c.reason }, 'relaying the rest of the session unfiltered');
        this.relaying = true;
        return;
      case 'close':
        this.log.info({ reason: c.reason }, 'session closing');
        return void this.shutdown(c.reason);
      case 'pauseServer':
        this.serverPause.layer = true;
        return this.updateServerFlow();
      case 'resumeServer':
        this.serverPause.layer = false;
        return this.updateServerFlow();
      case 'log':
        return this.log[c.level]({ ...c.fields }, c.event);
    }
  }

  // ---- TLS ----

  /** Upstream TLS on the current server leg; the judgement applies the sslTls policies. */
  private async serverTls(sni?: string): Promise<{ ok: boolean; reason?: string; cert?: PeerCertificate }> {
    this.serverSetup = true;
    const raw = this.serverLeg as Socket;
    this.unwire(raw);
    const { tls } = this.opts;
    const host = this.route.upstreamHost;
    const sock = tlsConnect({ ...tls.upstreamOptions(host, sni), socket: raw });
    try {
      await handshake(sock, 'secureConnect', (err) => this.onSocketError('server', err));
    } catch (err) {
      return { ok: false, reason: tls.describeFailure(err as NodeJS.ErrnoException, sni ?? host) };
    }
    this.serverLeg = sock;
    this.trackClose(sock, 'server');
    this.info.serverTls = true;
    const cert = sock.getPeerCertificate();
    const verdict = await tls.judge(sock, sni ?? host, formatUpstream(this.route));
    return verdict.ok ? { ok: true, cert } : { ok: false, reason: verdict.reason, cert };
  }

  /** Answer the client's ClientHello (read earlier, or now) with a certificate minted for its SNI. */
  private async clientTls(upstreamCert?: PeerCertificate, peeked?: HelloResult): Promise<boolean> {
    const raw = this.clientLeg as Socket;
    this.unwire(raw);
    const hello = peeked ?? (await this.readClientHello(raw));
    if (!hello.ok) {
      this.log.warn({ reason: hello.reason }, 'client TLS handshake not started');
      this.destroy();
      return false;
    }
    const names = [hello.sni, this.route.upstreamHost, this.route.listenHost].filter(Boolean) as string[];
    const secureContext = this.opts.tls.clientContext(
      upstreamCert && Object.keys(upstreamCert).length ? upstreamCert : undefined,
      names,
    );
    raw.unshift(hello.bytes);
    const sock = new TLSSocket(raw, { isServer: true, secureContext, requestCert: false });
    try {
      await handshake(sock, 'secure', (err) => this.onSocketError('client', err));
    } catch (err) {
      const message = (err as Error).message;
      // A client that distrusts the certificate answers with a TLS alert (unknown ca, bad certificate…).
      if (/alert/i.test(message))
        this.log.warn(
          { err: message, names },
          "the mail client rejected Mailward's certificate (is the Mailward root CA trusted by the client?)",
        );
      else this.log.info({ err: message }, 'client TLS handshake did not complete');
      this.destroy();
      return false;
    }
    this.clientLeg = sock;
    this.trackClose(sock, 'client');
    this.info.clientTls = true;
    return true;
  }

  private readClientHello(raw: Socket): Promise<HelloResult> {
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
  private async startImplicitTls(): Promise<void> {
    this.serverSetup = true;
    const server = this.serverLeg as Socket;
    const connected = new Promise<string | null>((resolve) => {
      server.once('connect', () => resolve(null));
      server.once('error', (err) => resolve(err.message));
    });
    // The ClientHello is read while the TCP connection to the server is being made.
    const hello = await this.readClientHello(this.client);
    const connectError = await connected;
    if (this.closed) return;
    let result: { ok: boolean; reason?: string; cert?: PeerCertificate };
    if (!hello.ok) result = { ok: false };
    else if (connectError) {
      this.log.warn({ err: connectError }, 'cannot connect to the mail server');
      result = { ok: false, reason: `cannot connect to ${formatUpstream(this.route)} (${connectError})` };
    } else result = await this.serverTls(hello.sni);
    if (this.closed) return;
    if (!(await this.clientTls(result.cert, hello))) return;
    this.wire('client');
    if (!result.ok) {
      const reason = result.reason!;
      if (connectError && this.layer?.onServerConnectFailed)
        this.guard(() => this.layer!.onServerConnectFailed!(reason));
      else if (this.layer) this.guard(() => this.layer!.onServerTlsFailed(reason));
      else void this.shutdown(reason);
      return;
    }
    this.guard(() => this.layer?.onServerTlsReady());
    this.wire('server');
    this.endServerSetup();
  }

  /** After STLS/STARTTLS was accepted upstream. */
  private async upgradeServer(): Promise<void> {
    const r = await this.serverTls();
    if (this.closed) return;
    if (!r.ok) return this.guard(() => this.layer?.onServerTlsFailed(r.reason!));
    this.upstreamCert = r.cert;
    this.wire('server');
    this.guard(() => this.layer?.onServerTlsReady());
    this.endServerSetup();
  }

  /** The server leg is up: a close that happened during its setup is reported now. */
  private endServerSetup(): void {
    this.serverSetup = false;
    if (this.serverLostInSetup) this.sideGone('server');
  }

  private async upgradeClient(): Promise<void> {
    if (!(await this.clientTls(this.upstreamCert))) return;
    this.wire('client');
    this.guard(() => this.layer?.onClientTlsReady());
  }

  // ---- errors and teardown ----

  private onSocketError(side: 'client' | 'server', err: Error): void {
    if (side === 'server' && this.serverSetup) {
      // The connect/handshake code reports it to the client in protocol words.
      this.log.debug({ err: err.message }, 'server error during connection setup');
      return;
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const unreachable =
      side === 'server' &&
      !this.info.serverTls &&
      /^E(CONNREFUSED|NOTFOUND|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$|timed out/.test(
        code || err.message,
      );
    if (unreachable) {
      this.log.warn({ err: err.message }, 'cannot connect to the mail server');
      if (this.layer?.onServerConnectFailed && !this.closed) {
        this.serverGone = true;
        this.wire('client');
        return this.guard(() => this.layer!.onServerConnectFailed!(err.message));
      }
    } else this.log.debug({ err: err.message, side }, 'socket error');
    this.destroy();
  }

  /** End both legs after flushing; destroy what does not finish in time. */
  shutdown(reason: string): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.log.debug({ reason }, 'session shutdown');
      this.clientLeg.end();
      this.serverLeg.end();
      setTimeout(() => this.destroy(), CLOSE_GRACE_MS).unref();
    }
    return this.finished;
  }

  private destroy(): void {
    this.closed = true;
    this.client.destroy();
    this.clientLeg.destroy();
    this.serverLeg.destroy();
    this.done();
  }

  private done(): void {
    if (this.isDone) return;
    this.isDone = true;
    this.closed = true;
    this.log.info('session closed');
    this.onDone();
    this.finish();
  }
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

const isLoopback = (address?: string) =>
  !!address && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));
