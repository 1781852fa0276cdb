// IMAP framing, both directions (style: imapflow's imap-stream.js, smtp-server's smtp-stream.js):
// splits a byte stream into lines and literals, nothing else. A line that ends in a literal
// announcement (`{N}`, `{N+}`, `~{N}`) is followed by exactly N bytes of literal data, then the same
// command/response continues on the next line. The protocol logic above only sees whole lines and
// literal chunks; it never searches for CRLF itself. 8-bit clean: bytes are never decoded.
import { ImapError } from './errors.ts';
import { MAX_LINE_BYTES } from './limits.ts';

export interface LiteralSpec {
  size: number;
  /** `{N+}` (LITERAL+ / LITERAL-): the client sends the data without waiting for a continuation. */
  nonSync: boolean;
  /** `~{N}` (RFC 3516 BINARY): the data may contain NUL. */
  binary: boolean;
}

export type FrameEvent =
  /** A line including its CRLF. `start` marks the first line of a command or response. */
  | { type: 'line'; bytes: Buffer; start: boolean; literal?: LiteralSpec }
  /** Part of the literal announced by the previous line (chunks follow the input's chunking). */
  | { type: 'literal'; bytes: Buffer }
  /** The announced literal is complete (also sent for zero-length literals). */
  | { type: 'literalEnd' }
  /** Framing failed; `rest` holds every byte not yet reported, so the caller can relay them raw. */
  | { type: 'error'; error: ImapError; rest: Buffer };

// `{123}`, `{123+}`, `~{123}` at the very end of a line (CRLF or bare LF).
const LITERAL_AT_END = /(~?)\{(\d{1,16})(\+?)\}\r?\n$/;

/** Reads a literal announcement from the end of a complete line. */
export function literalAtEnd(line: Buffer): LiteralSpec | undefined {
  const tail = line.subarray(Math.max(0, line.length - 24)).toString('latin1');
  const m = LITERAL_AT_END.exec(tail);
  if (!m) return undefined;
  return { size: Number(m[2]), nonSync: m[3] === '+', binary: m[1] === '~' };
}

export class ImapFramer {
  private partial: Buffer[] = [];
  private partialLength = 0;
  private literalLeft = 0;
  private literalSize = 0;
  private atStart = true;
  private failed = false;

  constructor(private readonly maxLine = MAX_LINE_BYTES) {}

  /** Whether the framer is inside a literal or a command/response that continues after one. */
  get midMessage(): boolean {
    return !this.atStart || this.partialLength > 0 || this.literalLeft > 0;
  }

  /** Whether a synchronising literal is announced but none of its bytes arrived yet. */
  get awaitingLiteral(): boolean {
    return this.literalLeft > 0 && this.literalLeft === this.literalSize;
  }

  /**
   * The server refused a synchronising literal (tagged NO/BAD instead of `+`): the client will not send
   * it, so the next bytes start a new command.
   */
  cancelLiteral(): boolean {
    if (!this.awaitingLiteral) return false;
    this.literalLeft = 0;
    this.atStart = true;
    return true;
  }

  feed(data: Buffer): FrameEvent[] {
    if (this.failed) throw new Error('ImapFramer fed after a framing error');
    const events: FrameEvent[] = [];
    let pos = 0;
    while (pos < data.length) {
      if (this.literalLeft > 0) {
        const n = Math.min(this.literalLeft, data.length - pos);
        events.push({ type: 'literal', bytes: data.subarray(pos, pos + n) });
        pos += n;
        this.literalLeft -= n;
        if (this.literalLeft === 0) events.push({ type: 'literalEnd' });
        continue;
      }
      const lf = data.indexOf(0x0a, pos);
      const end = lf < 0 ? data.length : lf + 1;
      if (this.partialLength + (end - pos) > this.maxLine + 2) {
        return this.fail(
          events,
          data.subarray(pos),
          'IMAP_LINE_TOO_LONG',
          `a line exceeds ${this.maxLine} bytes`,
        );
      }
      if (lf < 0) {
        this.partial.push(data.subarray(pos));
        this.partialLength += data.length - pos;
        break;
      }
      const piece = data.subarray(pos, end);
      const line = this.partialLength ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.partialLength = 0;
      pos = end;
      const literal = literalAtEnd(line);
      if (literal && !Number.isSafeInteger(literal.size)) {
        return this.fail(
          events,
          data.subarray(pos),
          'IMAP_LITERAL_TOO_LARGE',
          'a literal size is out of range',
          line,
        );
      }
      events.push(
        literal
          ? { type: 'line', bytes: line, start: this.atStart, literal }
          : { type: 'line', bytes: line, start: this.atStart },
      );
      if (!literal) {
        this.atStart = true;
        continue;
      }
      this.atStart = false;
      this.literalSize = this.literalLeft = literal.size;
      if (literal.size === 0) events.push({ type: 'literalEnd' });
    }
    return events;
  }

  private fail(
    events: FrameEvent[],
    rest: Buffer,
    code: ImapError['code'],
    message: string,
    before?: Buffer,
  ): FrameEvent[] {
    this.failed = true;
    const all = Buffer.concat([...this.partial, ...(before ? [before] : []), rest]);
    this.partial = [];
    this.partialLength = 0;
    events.push({ type: 'error', error: new ImapError(code, message), rest: all });
    return events;
  }
}
