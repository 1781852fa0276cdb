// The IMAP layer (sans-I/O): every byte passes unchanged except message content in FETCH responses,
// which is scanned and cleaned first, and the capabilities the proxy cannot honour. States are the
// handler methods `onClient`/`onServer` point at (style: mitmproxy's layers).
import type { LayerContext, ProxyLayer } from '../layer.ts';
import { ResponseAssembler, type ImapResponse } from './assembler.ts';
import { filterCapabilityLine } from './capabilities.ts';
import { sharedCleanedCache, type CleanedCache } from './cleaned-cache.ts';
import { isFetchResponse, parseFetchResponse } from './fetch-response.ts';
import { FetchRewriter } from './fetch-rewriter.ts';
import { ClientCommands } from './client-commands.ts';
import { ImapFramer, type FrameEvent } from './framer.ts';
import { HiddenFetches, type WholeTarget } from './hidden-fetch.ts';
import { MAX_HELD_BYTES } from './limits.ts';
import { OutputQueue } from './output-queue.ts';
import { SessionState, taggedStatus } from './session-state.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

export class ImapLayer implements ProxyLayer {
  private serverFramer = new ImapFramer();
  private assembler = new ResponseAssembler();
  private readonly out: OutputQueue;
  private readonly state = new SessionState();
  private readonly clients: ClientCommands;
  private readonly hidden: HiddenFetches;
  private readonly rewriter: FetchRewriter;
  private readonly abort = new AbortController();
  private greeted = false;
  private startTls?: { tag: string; ok: Buffer };
  private closed = false;
  private serverPaused = false;
  private onClient: (data: Buffer) => void;
  private onServer: (data: Buffer) => void;

  constructor(
    private readonly ctx: LayerContext,
    cache: CleanedCache = sharedCleanedCache,
  ) {
    this.out = new OutputQueue(
      (data) => this.ctx.emit({ type: 'toClient', data }),
      (error) => this.fatal(`producing a response failed: ${String(error)}`),
      () => this.flowControl(),
    );
    this.hidden = new HiddenFetches(
      (line) => this.ctx.emit({ type: 'toServer', data: line }),
      () => this.clients.inFlight.keys(),
    );
    const server = `${ctx.session.serverHost}:${ctx.session.serverPort}`;
    this.rewriter = new FetchRewriter({
      view: () => ({
        server,
        user: this.state.user ?? `?${ctx.session.id}`,
        mailbox: this.state.mailbox,
        uidValidity: this.state.uidValidity,
      }),
      clean: (raw, info) =>
        ctx.processMessage(
          raw,
          {
            protocol: ctx.session.protocol,
            server,
            user: this.state.user,
            mailbox: info.mailbox,
            messageId: info.uid,
            preserveSize: true,
          },
          this.abort.signal,
        ),
      fetchWhole: (target) => this.fetchWhole(target),
      log: (level, event, fields) => this.log(level, event, fields),
      cache,
    });
    this.clients = new ClientCommands({
      toServer: (data) => this.ctx.emit({ type: 'toServer', data }),
      answer: (data) => this.out.push(data),
      hiddenBusy: () => this.hidden.busy,
      rememberPartial: (key, length) => this.rewriter.rememberPartial(key, length),
    });
    // Not scanning (protection paused or IMAP checking off) still means reading the session: session.ts
    // only creates a layer then for TLS it terminates, where capabilities must still be filtered.
    this.onClient = this.clientFiltering;
    this.onServer = this.serverFiltering;
  }

  onClientData(data: Buffer): void {
    this.onClient(data);
  }

  onServerData(data: Buffer): void {
    this.onServer(data);
  }

  onServerTlsReady(): void {
    const pending = this.startTls;
    if (!pending) return;
    this.startTls = undefined;
    this.serverFramer = new ImapFramer();
    this.assembler = new ResponseAssembler();
    this.onServer = this.serverFiltering;
    this.out.push(pending.ok);
    this.out.flush();
    this.ctx.emit({ type: 'upgradeClientTls' });
  }

  onServerTlsFailed(reason: string): void {
    const line = this.startTls
      ? `${this.startTls.tag} NO [UNAVAILABLE] Mailward could not secure the connection to the server: ${reason}\r\n`
      : `* BYE [UNAVAILABLE] Mailward could not secure the connection to the server: ${reason}\r\n`;
    this.log('warn', 'imap.server-tls-failed', { reason });
    this.out.clear();
    this.ctx.emit({ type: 'toClient', data: Buffer.from(line) });
    this.close(`server TLS failed: ${reason}`);
  }

  onServerConnectFailed(reason: string): void {
    this.ctx.emit({
      type: 'toClient',
      data: Buffer.from(`* BYE [UNAVAILABLE] Mailward could not reach the server: ${reason}\r\n`),
    });
    this.close(`server unreachable: ${reason}`);
  }

  onClientTlsReady(): void {
    this.clients.restart();
    this.onClient = this.clientFiltering;
  }

  onClientClosed(): void {
    this.abort.abort();
    this.out.clear();
    this.hidden.failAll();
    this.close('client closed');
  }

  onServerClosed(): void {
    if (this.closed) return;
    if (this.assembler.pendingBytes > 0 || this.serverFramer.midMessage) {
      // Never hand a truncated message to the client as if complete: the partial response is dropped.
      this.log('warn', 'imap.upstream-closed-mid-response', { bytes: this.assembler.pendingBytes });
      this.assembler = new ResponseAssembler();
    }
    this.hidden.failAll();
    void this.out.idle().then(() => {
      this.out.flush();
      this.close('server closed');
    });
  }

  // ---- client states ----

  private readonly clientFiltering = (data: Buffer): void => {
    const failed = this.clients.feed(data);
    if (failed) return this.malformed(`client: ${failed.error}`, [], [failed.rest]);
    this.pump();
    this.out.flush();
  };

  /** Bytes the client sends after STARTTLS was accepted and before TLS: dropped (CVE-2011-0411 class). */
  private readonly clientAwaitingTls = (data: Buffer): void => {
    this.log('warn', 'imap.starttls.plaintext-dropped', { bytes: data.length });
  };

  private readonly clientRelay = (data: Buffer): void => {
    this.ctx.emit({ type: 'toServer', data });
  };

  /** Forwards what the client may send now; then any hidden fetch, between two client commands. */
  private pump(): void {
    this.clients.pump();
    if (!this.clients.midCommand) this.hidden.sendQueued();
  }

  private fetchWhole(target: WholeTarget) {
    const promise = this.hidden.request(target);
    this.log('debug', 'imap.fetch.whole', { ...target });
    this.pump();
    this.flowControl();
    return promise;
  }

  // ---- server states ----

  private readonly serverFiltering = (data: Buffer): void => {
    const events = this.serverFramer.feed(data);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.type === 'error') return this.malformed(e.error.message, [this.assembler.takePartial(), e.rest]);
      const response = this.assembler.push(e);
      if (!response) continue;
      this.serverResponse(response);
      if (this.onServer !== this.serverFiltering) {
        this.handOn(events.slice(i + 1));
        break;
      }
    }
    this.out.flush();
    this.flowControl();
  };

  /** Server bytes between its STARTTLS OK and TLS: none are expected; they are dropped. */
  private readonly serverAwaitingTls = (data: Buffer): void => {
    this.log('warn', 'imap.starttls.plaintext-dropped', { side: 'server', bytes: data.length });
  };

  private readonly serverRelay = (data: Buffer): void => {
    this.out.push(data);
    this.out.flush();
  };

  /** Events framed in the same chunk after the state changed go to the new state as bytes. */
  private handOn(rest: FrameEvent[]): void {
    const bytes = rest.flatMap((e) =>
      e.type === 'line' || e.type === 'literal' ? [e.bytes] : e.type === 'error' ? [e.rest] : [],
    );
    if (bytes.length) this.onServer(Buffer.concat(bytes));
  }

  private serverResponse(r: ImapResponse): void {
    if (!this.greeted) {
      this.greeted = true;
      if (!/^\* (OK|PREAUTH|BYE)\b/i.test(r.first))
        return this.malformed('the greeting is not IMAP', [r.raw]);
      return this.out.push(this.withCapabilitiesFiltered(r));
    }
    if (r.first.startsWith('+')) return this.out.push(r.raw);
    const tagged = taggedStatus(r.first);
    if (tagged) return this.taggedResponse(r, tagged.tag, tagged.status);
    this.state.untagged(r.first);
    if (/^\* (\d+ EXPUNGE|VANISHED)\b/i.test(r.first)) this.hidden.expunged();
    if (isFetchResponse(r.first)) return this.fetchResponse(r);
    this.out.push(this.withCapabilitiesFiltered(r));
  }

  private taggedResponse(r: ImapResponse, tag: string, status: 'OK' | 'NO' | 'BAD'): void {
    if (this.hidden.isOurs(tag)) {
      if (status !== 'OK') this.log('warn', 'imap.fetch.whole-refused', { response: r.first.slice(0, 200) });
      this.hidden.complete(tag);
      return this.pump();
    }
    const cmd = this.clients.completed(tag);
    if (cmd) {
      this.hidden.clientCompleted(tag);
      this.state.completed(cmd, status);
      if (cmd.name === 'STARTTLS' && status === 'OK') return this.beginStartTls(tag, r.raw);
    }
    this.out.push(this.withCapabilitiesFiltered(r));
    this.pump();
  }

  private fetchResponse(r: ImapResponse): void {
    let fetch;
    try {
      fetch = parseFetchResponse(r);
    } catch (err) {
      return this.malformed((err as Error).message, [r.raw]);
    }
    if (this.hidden.claim(r, fetch)) return;
    if (!this.ctx.filtering) return this.out.push(r.raw);
    const result = this.rewriter.rewrite(r, fetch);
    if (Buffer.isBuffer(result)) this.out.push(result);
    else this.out.pushLater(result, r.raw.length);
  }

  /** Stops reading from the server while too much is held for scanning (see MAX_HELD_BYTES). */
  private flowControl(): void {
    const hold = this.out.heldBytes > MAX_HELD_BYTES && !this.hidden.busy;
    const resume = this.out.heldBytes < MAX_HELD_BYTES / 2 || this.hidden.busy;
    if (hold && !this.serverPaused) {
      this.serverPaused = true;
      this.ctx.emit({ type: 'pauseServer' });
    } else if (resume && this.serverPaused) {
      this.serverPaused = false;
      this.ctx.emit({ type: 'resumeServer' });
    }
  }

  private withCapabilitiesFiltered(r: ImapResponse): Buffer {
    if (r.literals.length) return r.raw;
    const filtered = filterCapabilityLine(r.first);
    if (filtered === undefined) return r.raw;
    this.log('debug', 'imap.capabilities.filtered', {});
    return Buffer.from(filtered + r.raw.toString('latin1').slice(r.first.length), 'latin1');
  }

  /** The server accepted STARTTLS: TLS upstream first, then the OK and TLS with the client. */
  private beginStartTls(tag: string, ok: Buffer): void {
    this.startTls = { tag, ok };
    const dropped = this.clients.dropHeld();
    if (dropped) this.log('warn', 'imap.starttls.plaintext-dropped', { side: 'client', commands: dropped });
    this.onServer = this.serverAwaitingTls;
    this.onClient = this.clientAwaitingTls;
    this.out.flush();
    this.ctx.emit({ type: 'upgradeServerTls' });
  }

  // ---- bad input and the end ----

  /**
   * A response the layer cannot read: the session continues unfiltered (a relay) rather than breaking
   * the client; what is already queued goes first.
   */
  private malformed(reason: string, toClient: Buffer[], toServer: Buffer[] = []): void {
    if (this.onServer === this.serverRelay) return;
    this.log('warn', 'imap.malformed-response', { reason });
    this.onServer = this.serverRelay;
    this.onClient = this.clientRelay;
    this.hidden.failAll();
    for (const data of this.clients.takeHeld()) this.ctx.emit({ type: 'toServer', data });
    for (const b of toServer) if (b.length) this.ctx.emit({ type: 'toServer', data: b });
    for (const b of toClient) if (b.length) this.out.push(b);
    this.out.flush();
    void this.out.idle().then(() => {
      this.out.flush();
      if (!this.closed) this.ctx.emit({ type: 'relay', reason });
    });
  }

  private fatal(reason: string): void {
    this.log('error', 'imap.session-failed', { reason });
    this.close(reason);
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.emit({ type: 'close', reason });
  }

  private log(level: Level, event: string, fields: Record<string, unknown> = {}): void {
    // session.ts logs every event with the session id already.
    this.ctx.emit({ type: 'log', level, event, fields });
  }
}
