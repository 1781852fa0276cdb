// One proxied client connection (sockets, with server.ts and session-tls.ts): connects upstream at once
// (POP3/IMAP servers speak first), sets TCP_NODELAY on both legs (Nagle + delayed ACK stalls ~40 ms per
// round trip), drives the protocol's sans-I/O layer and executes its commands: bytes to either side with
// back-pressure, TLS upgrades (session-tls.ts), raw relay, close. Errors end this session, never the process.
// Members without `private` are what session-tls.ts uses (the TlsSession interface).
import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import type { Logger } from '../log.ts';
import type { LayerContext, ProxyCommand, ProxyLayer, SessionInfo } from './layer.ts';
import { layerFor } from './protocols.ts';
import { excludedBy } from './exclusions.ts';
import { formatUpstream, type ParsedRoute } from './routes.ts';
import type { ProxyServerOptions } from './server.ts';
import { startImplicitTls, upgradeClient, upgradeServer, type Leg, type TlsSession } from './session-tls.ts';

/** A server that does not accept the TCP connection in this time is reported to the client as unreachable. */
const CONNECT_TIMEOUT_MS = 20_000;
/** After `close`, sockets that do not finish flushing are destroyed after this. */
const CLOSE_GRACE_MS = 5_000;
/** TCP keep-alive probes on both legs after this much silence. */
const KEEPALIVE_MS = 60_000;

export class Session implements TlsSession {
  private readonly id = randomUUID().slice(0, 8);
  readonly log: Logger;
  readonly info: SessionInfo;
  clientLeg: Leg;
  serverLeg: Leg;
  layer?: ProxyLayer;
  private relaying = false;
  closed = false;
  private isDone = false;
  /** Each side's end/close is reported once (to the layer, or to the other leg when relaying). */
  private clientGone = false;
  private serverGone = false;
  /** The server leg is being set up (TCP connect + TLS for implicit TLS, or an STLS upgrade): its failures
   * are reported to the layer as a refused/failed TLS, not as a closed server. */
  serverSetup = false;
  private serverLostInSetup = false;
  /** Why the server leg is not being read: the layer asked, or the client's write buffer is full. */
  private serverPause = { layer: false, backpressure: false };
  private readonly awaitingDrain = new Set<Leg>();
  upstreamCert?: PeerCertificate;
  private readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly route: ParsedRoute,
    readonly client: Socket,
    readonly opts: ProxyServerOptions,
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
    if (terminateTls) void startImplicitTls(this);
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
  wire(which: 'both' | 'client' | 'server' = 'both'): void {
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

  unwire(leg: Leg): void {
    leg.pause();
    leg.removeAllListeners('data');
    leg.removeAllListeners('end');
  }

  trackClose(leg: Leg, side: 'client' | 'server'): void {
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
  guard(fn: () => void): void {
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
        return void upgradeServer(this);
      case 'upgradeClientTls':
        return void upgradeClient(this);
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

  /** The server leg is up: a close that happened during its setup is reported now. */
  endServerSetup(): void {
    this.serverSetup = false;
    if (this.serverLostInSetup) this.sideGone('server');
  }

  // ---- errors and teardown ----

  onSocketError(side: 'client' | 'server', err: Error): void {
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

  destroy(): void {
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
