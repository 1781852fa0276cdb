// POP3 framing, apart from the protocol: CRLF lines with a length limit, and multi-line responses
// ending in CRLF "." CRLF with dot-stuffing (RFC 1939 §3). Byte-exact and 8-bit clean: nothing here
// decodes text. The protocol layer above sees whole lines and whole (or streamed) bodies.

export class LineTooLongError extends Error {
  readonly code = 'line_too_long';
  constructor(readonly limit: number) {
    super(`line longer than ${limit} bytes`);
  }
}

/** Splits a byte stream into lines (each with its LF / CRLF ending); keeps an explicit remainder. */
export class LineReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(readonly maxLine: number) {}

  push(data: Buffer): void {
    if (this.pos >= this.buf.length) this.buf = data;
    else this.buf = Buffer.concat([this.buf.subarray(this.pos), data]);
    this.pos = 0;
  }

  /** The next complete line, or null when more bytes are needed. Throws LineTooLongError. */
  nextLine(): Buffer | null {
    const nl = this.buf.indexOf(0x0a, this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > this.maxLine) throw new LineTooLongError(this.maxLine);
      return null;
    }
    const line = this.buf.subarray(this.pos, nl + 1);
    this.pos = nl + 1;
    if (line.length > this.maxLine) throw new LineTooLongError(this.maxLine);
    return line;
  }

  /** Everything buffered and not yet returned as a line (when the stream switches to body mode). */
  takeRest(): Buffer {
    const rest = this.buf.subarray(this.pos);
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    return rest;
  }
}

const TERMINATOR = Buffer.from('\n.\r\n');

export type BodyProgress =
  /** Collecting: nothing to send yet. */
  | { done: false; forward?: undefined }
  /** Streaming: these (still dot-stuffed) bytes may go to the client now. */
  | { done: false; forward: Buffer }
  /** The terminator arrived. `body` is the collected stuffed body (collect mode) without the
   * terminating ".CRLF", and `wire` the same bytes with it (exactly what the server sent, a view of the
   * same memory: sending it on unchanged needs no re-stuffing); in stream mode `forward` ends with the
   * terminator. `rest` follows it. */
  | { done: true; body?: Buffer; wire?: Buffer; forward?: Buffer; rest: Buffer };

/**
 * Finds the end of one multi-line response body (after its status line). Collect mode keeps the bytes
 * (for scanning); stream mode hands them on as they arrive. The terminator may be split across chunks
 * at any byte; an empty body (".CRLF" right after the status line) counts, because the status line's
 * own line ending precedes it.
 */
export class MultiLineReader {
  private chunks: Buffer[] = [];
  /** Bytes of body seen so far. */
  private seen = 0;
  /** The last ≤3 bytes of "\n" + body: lets a terminator split over two chunks be found. */
  private tail: Buffer = Buffer.from('\n');

  constructor(private collect: boolean) {}

  get size(): number {
    return this.seen;
  }

  /** Switch from collecting to streaming; returns the bytes held so far (to send first). */
  startStreaming(): Buffer {
    const held = Buffer.concat(this.chunks);
    this.chunks = [];
    this.collect = false;
    return held;
  }

  push(data: Buffer): BodyProgress {
    const base = this.seen;
    // Index of the terminator's "\n" in the virtual stream "\n" + body, or -1.
    let at = -1;
    const probe = Buffer.concat([this.tail, data.subarray(0, 3)]);
    const i = probe.indexOf(TERMINATOR);
    if (i >= 0 && i < this.tail.length) at = base + 1 - this.tail.length + i;
    else {
      const j = data.indexOf(TERMINATOR);
      if (j >= 0) at = base + 1 + j;
    }
    if (at < 0) {
      this.seen += data.length;
      // A copy of the last bytes only: keeping a view would pin the whole chunk in memory.
      this.tail = Buffer.from(
        data.length >= 3 ? data.subarray(-3) : Buffer.concat([this.tail, data]).subarray(-3),
      );
      if (this.collect) {
        this.chunks.push(data);
        return { done: false };
      }
      return { done: false, forward: data };
    }
    // The body is bytes [0, at) of the real stream; the terminator's "." CRLF ends at at + 3.
    const endInData = at + 3 - base;
    const rest = data.subarray(endInData);
    this.seen = at;
    if (this.collect) {
      // The one copy of the held path: the scanner needs the message contiguous.
      this.chunks.push(data.subarray(0, endInData));
      const wire = Buffer.concat(this.chunks, at + 3);
      this.chunks = [];
      return { done: true, body: wire.subarray(0, at), wire, rest };
    }
    return { done: true, forward: data.subarray(0, endInData), rest };
  }
}

const LF_DOT = Buffer.from('\n.');

/** Remove dot-stuffing: a line starting with "." loses that first dot. */
export function unstuff(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  if (body[0] === 0x2e) from = 1;
  let i = body.indexOf(LF_DOT, from);
  if (i < 0 && from === 0) return body;
  while (i >= 0) {
    parts.push(body.subarray(from, i + 1));
    from = i + 2;
    i = body.indexOf(LF_DOT, from);
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}

/**
 * Dot-stuff a message for a multi-line response and add the terminator. A message not ending in a
 * line break gets CRLF first, so the terminator stands on its own line.
 */
export function stuffWithTerminator(message: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  if (message[0] === 0x2e) parts.push(Buffer.from('.'));
  let i = message.indexOf(LF_DOT);
  while (i >= 0) {
    parts.push(message.subarray(from, i + 1), Buffer.from('.'));
    from = i + 1;
    i = message.indexOf(LF_DOT, from);
  }
  parts.push(message.subarray(from));
  if (message.length > 0 && message[message.length - 1] !== 0x0a) parts.push(Buffer.from('\r\n'));
  parts.push(Buffer.from('.\r\n'));
  return Buffer.concat(parts);
}
