// The client side of an IMAP session: client bytes framed into commands (and the continuation lines of
// AUTHENTICATE and IDLE), forwarded to the server byte for byte and in order — but held back while the
// proxy needs the server to itself (a hidden whole fetch), and for commands that change the selected
// mailbox while a FETCH is in flight. Commands are observed, never rewritten.
import { parseCommandLine, requestedPartials } from './command.ts';
import { ImapFramer, type FrameEvent } from './framer.ts';
import { SessionState, type TrackedCommand } from './session-state.ts';

/** A client command (or continuation line) with the bytes not yet forwarded. */
interface ClientRecord {
  cmd?: TrackedCommand;
  chunks: Buffer[];
  forwarded: boolean;
  complete: boolean;
  literals: number;
}

/**
 * Commands that change which mailbox is selected (or stop the session, or change the stream) wait
 * while a client FETCH is in flight: a hidden whole fetch triggered by its responses must run in the
 * mailbox the FETCH ran in.
 */
const WAIT_FOR_FETCHES = new Set(['SELECT', 'EXAMINE', 'CLOSE', 'UNSELECT', 'LOGOUT', 'IDLE', 'STARTTLS']);
/** After these the client sends continuation lines (SASL responses, DONE), not commands. */
const CONTINUED_BY_CLIENT = new Set(['AUTHENTICATE', 'IDLE']);
/** Names of the capture-worthy first literal (user name, mailbox name). */
const NAME_LITERAL = new Set(['LOGIN', 'SELECT', 'EXAMINE']);

export interface ClientCommandsDeps {
  toServer(data: Buffer): void;
  /** A reply Mailward gives itself (in response order). */
  answer(data: Buffer): void;
  /** Whether a hidden whole fetch is queued or outstanding. */
  hiddenBusy(): boolean;
  rememberPartial(key: string, length: number): void;
}

export class ClientCommands {
  /** Forwarded commands waiting for their tagged response. */
  readonly inFlight = new Map<string, TrackedCommand>();
  private framer = new ImapFramer();
  private readonly held: ClientRecord[] = [];
  private current?: ClientRecord;

  constructor(private readonly deps: ClientCommandsDeps) {}

  /** Whether the server is in the middle of receiving a command (no hidden fetch may go now). */
  get midCommand(): boolean {
    return this.current?.forwarded === true && !this.current.complete;
  }

  /** Frames and forwards client bytes; returns the unread bytes when framing failed. */
  feed(data: Buffer): { error: string; rest: Buffer } | undefined {
    for (const e of this.framer.feed(data)) {
      if (e.type === 'error') return { error: e.error.message, rest: e.rest };
      if (e.type === 'line' && e.start) this.line(e.bytes, !e.literal);
      else this.continues(e);
    }
    this.pump();
    return undefined;
  }

  /** Forwards held commands in order, as far as the gates allow. */
  pump(): void {
    while (this.held.length) {
      const r = this.held[0];
      if (r.cmd && !this.mayForward(r.cmd)) break;
      this.held.shift();
      this.forward(r);
      if (!r.complete) break;
    }
  }

  /** The tagged response to `tag` arrived: the command it ends, if it is a client command. */
  completed(tag: string): TrackedCommand | undefined {
    const cmd = this.inFlight.get(tag);
    if (!cmd) return undefined;
    this.inFlight.delete(tag);
    // A refused synchronising literal (NO instead of `+`) will not be sent: the next bytes are a command.
    if (this.current?.cmd === cmd && !this.current.complete && this.framer.cancelLiteral()) {
      this.current.complete = true;
    }
    return cmd;
  }

  /** Drops commands not yet forwarded (sent in plaintext after STARTTLS); returns how many. */
  dropHeld(): number {
    const n = this.held.length;
    this.held.length = 0;
    this.current = undefined;
    return n;
  }

  /** Everything held back, for a session that continues as a plain relay. */
  takeHeld(): Buffer[] {
    return this.held.splice(0).map((r) => Buffer.concat(r.chunks));
  }

  /** The client leg is now TLS: a new byte stream. */
  restart(): void {
    this.framer = new ImapFramer();
    this.current = undefined;
  }

  private line(bytes: Buffer, complete: boolean): void {
    const text = bytes.toString('latin1').replace(/\r?\n$/, '');
    const owner = [...this.inFlight.values()].find((c) => CONTINUED_BY_CLIENT.has(c.name));
    const record: ClientRecord = { chunks: [bytes], forwarded: false, complete, literals: 0 };
    if (owner) {
      if (owner.name === 'AUTHENTICATE' && owner.saslResponse === undefined) owner.saslResponse = text;
    } else {
      record.cmd = parseCommandLine(text);
      if (record.cmd)
        for (const p of requestedPartials(record.cmd)) this.deps.rememberPartial(p.key, p.length);
    }
    this.current = record;
    this.held.push(record);
  }

  private continues(e: Exclude<FrameEvent, { type: 'error' }>): void {
    const r = this.current;
    if (!r) return;
    if (e.type === 'literalEnd') {
      r.literals++;
      return;
    }
    if (e.type === 'literal' && r.literals === 0 && r.cmd && NAME_LITERAL.has(r.cmd.name)) {
      SessionState.addLiteral(r.cmd, e.bytes);
    }
    if (e.type === 'line' && !e.literal) r.complete = true;
    if (r.forwarded) this.deps.toServer(e.bytes);
    else r.chunks.push(e.bytes);
  }

  private mayForward(cmd: TrackedCommand): boolean {
    if (this.deps.hiddenBusy()) return false;
    const names = [...this.inFlight.values()].map((c) => c.name);
    if (names.includes('STARTTLS')) return false;
    if (WAIT_FOR_FETCHES.has(cmd.name) && names.some((n) => n === 'FETCH' || n === 'UID FETCH')) return false;
    return true;
  }

  private forward(r: ClientRecord): void {
    r.forwarded = true;
    if (r.cmd?.name === 'COMPRESS' && r.complete) {
      // COMPRESS=DEFLATE is not offered; a client that tries anyway is told so, the server never sees it.
      this.deps.answer(
        Buffer.from(`${r.cmd.tag} NO [CANNOT] COMPRESS is not available through Mailward\r\n`),
      );
      return;
    }
    if (r.cmd) this.inFlight.set(r.cmd.tag, r.cmd);
    const data = r.chunks.length === 1 ? r.chunks[0] : Buffer.concat(r.chunks);
    r.chunks = [];
    this.deps.toServer(data);
  }
}
