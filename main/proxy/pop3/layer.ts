// The POP3 filtering layer (sans-I/O): client command lines and server responses in, bytes and commands
// out. Every RETR/TOP answer is held whole, scanned and cleaned through ctx.processMessage, dot-stuffed
// again and sent on; everything else passes byte for byte. The server side is a set of named states
// (greeting → responses ⇄ message/body/capa ⇄ awaiting TLS; relay, closed), swapped as the conversation
// goes; commands are queued so PIPELINING clients get their answers in order.
import type { LayerContext, ProxyLayer } from '../layer.ts';
import { saslInitialResponse, saslUser } from '../sasl.ts';
import { rewriteCapa } from './capa.ts';
import { parseCommand, statusOf, type Pop3Command } from './commands.ts';
import { LineReader, LineTooLongError, MultiLineReader, stuffWithTerminator, unstuff } from './framing.ts';
import { MAX_CAPA_BODY, MAX_CLIENT_LINE, MAX_SERVER_LINE, QUEUE_HIGH_WATER } from './limits.ts';
import { oversizeTag } from './oversize.ts';
import { scanHeldAnswer } from './retrieve.ts';

type ServerState = (data: Buffer) => void;

const line = (text: string) => Buffer.from(text + '\r\n', 'latin1');

export class Pop3Layer implements ProxyLayer {
  private readonly serverLines = new LineReader(MAX_SERVER_LINE);
  private readonly clientLines = new LineReader(MAX_CLIENT_LINE);
  private readonly pending: Pop3Command[] = [];
  private state: ServerState = this.stateGreeting;
  /** Client lines are SASL responses (inside AUTH), not commands. */
  private inSasl = false;
  /** A message is being scanned: server bytes wait in `queued` to keep answers in order. */
  private busy = false;
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private serverPaused = false;
  private serverGone = false;
  private closed = false;
  private user?: string;
  private saslMechanism?: string;
  private saslUserSeen = false;
  /** The status line of the answer being held (RETR/TOP/CAPA/STLS). */
  private heldStatus?: Buffer;
  private body?: MultiLineReader;
  private bodyCommand?: Pop3Command;
  private readonly abort = new AbortController();

  constructor(private readonly ctx: LayerContext) {}

  // ---- client side ----

  onClientData(data: Buffer): void {
    if (this.closed) return;
    if (this.state === this.stateRelay) return this.ctx.emit({ type: 'toServer', data });
    this.clientLines.push(data);
    for (;;) {
      let l: Buffer | null;
      try {
        l = this.clientLines.nextLine();
      } catch (err) {
        if (err instanceof LineTooLongError)
          return this.fail(`-ERR command line too long (over ${err.limit} bytes)`);
        throw err;
      }
      if (!l) return;
      this.clientLine(l);
      if (this.state === this.stateRelay) {
        const rest = this.clientLines.takeRest();
        if (rest.length) this.ctx.emit({ type: 'toServer', data: rest });
        return;
      }
    }
  }

  private clientLine(l: Buffer): void {
    if (this.inSasl) {
      // A SASL response or "*" (cancel): passed through; the server's next status line ends or continues AUTH.
      // The first response names the user for PLAIN, LOGIN, CRAM-MD5 (for the detections log).
      if (this.saslMechanism && !this.saslUserSeen) {
        this.saslUserSeen = true;
        this.user = saslUser(this.saslMechanism, l.toString('latin1').trim()) ?? this.user;
      }
      this.ctx.emit({ type: 'toServer', data: l });
      return;
    }
    const cmd = parseCommand(l);
    if (cmd.verb === 'USER') this.user = cmd.args.trim();
    if (cmd.verb === 'APOP') this.user = cmd.args.trim().split(/\s+/)[0];
    if (cmd.verb === 'STLS' && !this.ctx.settings().webAndEmail.sslTls.enabled) {
      // TLS interception is off: the client does TLS with the server itself, through a raw relay.
      this.ctx.emit({ type: 'toServer', data: l });
      this.goRelay('STLS with SSL/TLS filtering turned off');
      return;
    }
    if (cmd.verb === 'AUTH' && cmd.args.trim() !== '') {
      this.inSasl = true;
      const [mechanism, initial] = cmd.args.trim().split(/\s+/);
      this.saslMechanism = mechanism.toUpperCase();
      const response = saslInitialResponse(initial);
      this.saslUserSeen = response !== undefined;
      if (response) this.user = saslUser(this.saslMechanism, response) ?? this.user;
    }
    this.pending.push(cmd);
    this.ctx.emit({ type: 'toServer', data: l });
  }

  onClientTlsReady(): void {
    this.ctx.session.clientTls = true;
  }

  onClientClosed(): void {
    this.abort.abort();
    this.close('client closed the connection');
  }

  // ---- server side ----

  onServerData(data: Buffer): void {
    if (this.closed) return;
    if (this.busy) {
      this.queue(data);
      if (this.queuedBytes > QUEUE_HIGH_WATER && !this.serverPaused) {
        this.serverPaused = true;
        this.ctx.emit({ type: 'pauseServer' });
      }
      return;
    }
    this.state(data);
  }

  onServerTlsReady(): void {
    this.ctx.session.serverTls = true;
    if (this.state !== this.stateAwaitingTls) return; // implicit TLS: nothing to answer
    const ok = this.heldStatus!;
    this.heldStatus = undefined;
    this.state = this.stateResponses;
    this.ctx.emit({ type: 'toClient', data: ok });
    this.ctx.emit({ type: 'upgradeClientTls' });
  }

  onServerTlsFailed(reason: string): void {
    this.fail(`-ERR Mailward refused the connection: ${reason}`, reason);
  }

  onServerConnectFailed(reason: string): void {
    this.fail(`-ERR Mailward cannot reach the mail server: ${reason}`, reason);
  }

  onServerClosed(): void {
    this.serverGone = true;
    if (this.busy) return; // the held message is complete; close after it is sent
    this.serverClosedNow();
  }

  private serverClosedNow(): void {
    if (this.state === this.stateMessage) {
      const n = this.bodyCommand?.args.trim().split(/\s+/)[0] ?? '?';
      return this.fail(
        `-ERR the connection to the mail server was lost while receiving message ${n}; nothing was delivered`,
        'server closed mid-message',
      );
    }
    this.close('server closed the connection');
  }

  // ---- server states ----

  private stateGreeting(data: Buffer): void {
    this.serverLines.push(data);
    const l = this.readServerLine();
    if (!l) return;
    const kind = statusOf(l);
    if (kind !== 'ok' && kind !== 'err')
      return this.notPop3(Buffer.concat([l, this.serverLines.takeRest()]), 'greeting');
    this.ctx.emit({ type: 'toClient', data: l });
    this.state = this.stateResponses;
    const rest = this.serverLines.takeRest();
    if (rest.length) this.state(rest);
  }

  private stateResponses(data: Buffer): void {
    this.serverLines.push(data);
    while (this.state === this.stateResponses && !this.closed) {
      const l = this.readServerLine();
      if (!l) return;
      this.statusLine(l);
    }
    // A state change inside statusLine: the bytes after that line belong to the new state.
    const rest = this.serverLines.takeRest();
    if (rest.length && !this.closed) this.onServerData(rest);
  }

  private statusLine(l: Buffer): void {
    const kind = statusOf(l);
    if (kind === 'other') return this.notPop3(Buffer.concat([l, this.serverLines.takeRest()]), 'response');
    const cmd = this.pending[0];
    if (!cmd) return this.ctx.emit({ type: 'toClient', data: l }); // unsolicited (e.g. -ERR before a timeout close)
    if (kind === 'continue') {
      // SASL challenge: AUTH stays pending; the client's next line is its response.
      if (cmd.verb === 'AUTH') this.inSasl = true;
      return this.ctx.emit({ type: 'toClient', data: l });
    }
    this.pending.shift();
    if (cmd.verb === 'AUTH') this.inSasl = false;
    if (kind === 'err' || !cmd.multiLine) {
      if (kind === 'ok' && cmd.verb === 'STLS') {
        this.heldStatus = l;
        this.state = this.stateAwaitingTls;
        this.ctx.emit({ type: 'upgradeServerTls' });
        return;
      }
      return this.ctx.emit({ type: 'toClient', data: l });
    }
    this.bodyCommand = cmd;
    if ((cmd.verb === 'RETR' || cmd.verb === 'TOP') && this.ctx.filtering) {
      this.heldStatus = l;
      this.body = new MultiLineReader(true);
      this.state = this.stateMessage;
    } else if (cmd.verb === 'CAPA') {
      this.heldStatus = l;
      this.body = new MultiLineReader(true);
      this.state = this.stateCapa;
    } else {
      this.ctx.emit({ type: 'toClient', data: l });
      this.body = new MultiLineReader(false);
      this.state = this.stateStreamBody;
    }
  }

  /** LIST, UIDL, AUTH lists and unknown multi-line answers: forwarded as they arrive. */
  private stateStreamBody(data: Buffer): void {
    const p = this.body!.push(data);
    if (p.forward?.length) this.ctx.emit({ type: 'toClient', data: p.forward });
    if (p.done) this.backToResponses(p.rest);
  }

  private stateCapa(data: Buffer): void {
    const p = this.body!.push(data);
    if (!p.done) {
      if (this.body!.size > MAX_CAPA_BODY) this.notPop3(this.body!.startStreaming(), 'CAPA too long');
      return;
    }
    const capa = stuffWithTerminator(rewriteCapa(unstuff(p.body!)));
    this.ctx.emit({ type: 'toClient', data: Buffer.concat([this.heldStatus!, capa]) });
    this.heldStatus = undefined;
    this.backToResponses(p.rest);
  }

  /** RETR/TOP: hold the whole message, then scan it; over the size limit, tag and stream it unscanned. */
  private stateMessage(data: Buffer): void {
    const p = this.body!.push(data);
    if (!p.done) {
      const limit = this.ctx.settings().scanner.limits.maxMessageSize;
      if (this.body!.size > limit) this.streamOversize(limit);
      return;
    }
    const raw = unstuff(p.body!);
    this.busy = true;
    if (p.rest.length) this.queue(p.rest);
    void this.scanAndSend(raw, p.wire!);
  }

  private streamOversize(limit: number): void {
    const cmd = this.bodyCommand!;
    this.ctx.emit({
      type: 'log',
      level: 'warn',
      event: 'message over the size limit delivered unscanned',
      fields: { limit, command: `${cmd.verb} ${cmd.args}` },
    });
    const held = this.body!.startStreaming();
    this.ctx.emit({ type: 'toClient', data: Buffer.concat([this.heldStatus!, oversizeTag(limit), held]) });
    this.heldStatus = undefined;
    this.state = this.stateStreamBody;
  }

  private async scanAndSend(raw: Buffer, wire: Buffer): Promise<void> {
    const out = await scanHeldAnswer(
      this.ctx,
      {
        status: this.heldStatus!,
        raw,
        wire,
        messageNumber: this.bodyCommand!.args.trim().split(/\s+/)[0],
        user: this.user,
      },
      this.abort.signal,
    );
    this.heldStatus = undefined;
    this.busy = false;
    if (this.closed) return; // the client went away while its message was being scanned
    for (const data of out) this.ctx.emit({ type: 'toClient', data });
    this.state = this.stateResponses;
    this.drainQueue();
  }

  private stateAwaitingTls(_data: Buffer): void {
    // Bytes from the server between its STLS +OK and the handshake are a protocol violation.
    this.fail('-ERR the mail server sent data after accepting STLS', 'server data after STLS +OK');
  }

  private stateRelay(data: Buffer): void {
    this.ctx.emit({ type: 'toClient', data });
  }

  private stateClosed(_data: Buffer): void {}

  // ---- helpers ----

  private readServerLine(): Buffer | null {
    try {
      return this.serverLines.nextLine();
    } catch {
      this.notPop3(this.serverLines.takeRest(), 'overlong line');
      return null;
    }
  }

  private backToResponses(rest: Buffer): void {
    this.body = undefined;
    this.bodyCommand = undefined;
    this.state = this.stateResponses;
    if (rest.length) this.state(rest);
  }

  private queue(data: Buffer): void {
    this.queued.push(data);
    this.queuedBytes += data.length;
  }

  private drainQueue(): void {
    const q = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    if (this.serverPaused) {
      this.serverPaused = false;
      this.ctx.emit({ type: 'resumeServer' });
    }
    for (const d of q) {
      if (this.busy || this.closed) {
        this.queue(d);
        continue;
      }
      this.state(d);
    }
    if (!this.busy && this.serverGone && !this.closed) this.serverClosedNow();
  }

  /** The server does not speak POP3 (or broke framing): pass the session through unfiltered. */
  private notPop3(buffered: Buffer, where: string): void {
    this.ctx.emit({
      type: 'log',
      level: 'warn',
      event: 'server reply is not POP3; passing the session through unfiltered',
      fields: { where, sample: buffered.subarray(0, 80).toString('latin1') },
    });
    if (this.heldStatus) this.ctx.emit({ type: 'toClient', data: this.heldStatus });
    this.heldStatus = undefined;
    if (buffered.length) this.ctx.emit({ type: 'toClient', data: buffered });
    this.goRelay(`server reply is not POP3 (${where})`);
  }

  private goRelay(reason: string): void {
    this.state = this.stateRelay;
    this.ctx.emit({ type: 'relay', reason });
  }

  private fail(reply: string, reason = reply): void {
    if (this.closed) return;
    this.ctx.emit({ type: 'toClient', data: line(reply) });
    this.close(reason);
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.state = this.stateClosed;
    this.ctx.emit({ type: 'close', reason });
  }
}
