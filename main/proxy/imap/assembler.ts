// Collects framer events into whole server responses (a line plus every literal and continuation
// line it announces). The layer decides what to do with a response only once it is complete.
import type { FrameEvent } from './framer.ts';

export interface LiteralRef {
  /** Offset in `raw` of the announcement (`{` or `~{`). */
  markerStart: number;
  /** Offset in `raw` of the first data byte. */
  dataStart: number;
  length: number;
  binary: boolean;
}

export interface ImapResponse {
  raw: Buffer;
  literals: LiteralRef[];
  /** The first line without its line end, latin1 (bytes kept one to one). */
  first: string;
}

export class ResponseAssembler {
  private chunks: Buffer[] = [];
  private length = 0;
  private literals: LiteralRef[] = [];

  /** Bytes of the response being collected (0 between responses). */
  get pendingBytes(): number {
    return this.length;
  }

  /** Feeds one framer event; returns the response it completes, if any. */
  push(event: Exclude<FrameEvent, { type: 'error' }>): ImapResponse | undefined {
    if (event.type === 'literalEnd') return undefined;
    if (event.type === 'line' && event.literal) {
      const marker = event.bytes.lastIndexOf(event.literal.binary ? '~{' : '{');
      this.literals.push({
        markerStart: this.length + marker,
        dataStart: this.length + event.bytes.length,
        length: event.literal.size,
        binary: event.literal.binary,
      });
    }
    this.chunks.push(event.bytes);
    this.length += event.bytes.length;
    if (event.type !== 'line' || event.literal) return undefined;
    const raw = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    const literals = this.literals;
    this.chunks = [];
    this.length = 0;
    this.literals = [];
    const firstEnd = literals.length ? literals[0].markerStart : raw.length;
    const first = raw
      .subarray(0, firstEnd)
      .toString('latin1')
      .replace(/\r?\n$/, '');
    return { raw, literals, first };
  }

  /** Everything collected so far, for relaying raw after a framing failure. */
  takePartial(): Buffer {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.length = 0;
    this.literals = [];
    return out;
  }
}
