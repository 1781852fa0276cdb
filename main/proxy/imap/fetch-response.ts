// Reads an untagged FETCH response into its top-level items, with the byte range of every value, so
// the layer can replace one value (a body literal, RFC822.SIZE) and keep every other byte as it came.
import type { ImapResponse, LiteralRef } from './assembler.ts';
import { ImapError } from './errors.ts';

export interface FetchItem {
  /** Item name as sent, e.g. `UID`, `BODY[2]<0>`, `RFC822.SIZE`. */
  name: string;
  valueStart: number;
  valueEnd: number;
  literal?: LiteralRef;
  /** The value when it is an atom or number (`NIL`, `1234`). */
  atom?: string;
}

export interface FetchResponse {
  seq: number;
  items: FetchItem[];
}

const FETCH_START = /^\* (\d+) FETCH \(/i;

export function isFetchResponse(first: string): boolean {
  return FETCH_START.test(first);
}

const SP = 0x20;
const LPAREN = 0x28;
const RPAREN = 0x29;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const TILDE = 0x7e;
const CR = 0x0d;
const LF = 0x0a;

class Reader {
  pos: number;
  private readonly literalAt = new Map<number, LiteralRef>();

  constructor(
    readonly buf: Buffer,
    literals: LiteralRef[],
    start: number,
  ) {
    this.pos = start;
    for (const l of literals) this.literalAt.set(l.markerStart, l);
  }

  fail(what: string): never {
    throw new ImapError('IMAP_MALFORMED_RESPONSE', `FETCH response: ${what} at byte ${this.pos}`);
  }

  peek(): number {
    if (this.pos >= this.buf.length) this.fail('unexpected end');
    return this.buf[this.pos];
  }

  skipSpaces(): void {
    while (this.pos < this.buf.length && this.buf[this.pos] === SP) this.pos++;
  }

  /** An atom; `[...]` sections (which may hold spaces and parentheses) and `<n>` belong to it. */
  atom(): string {
    const start = this.pos;
    while (this.pos < this.buf.length) {
      const c = this.buf[this.pos];
      if (c === LBRACKET) {
        const close = this.buf.indexOf(RBRACKET, this.pos);
        if (close < 0) this.fail('unclosed [');
        this.pos = close + 1;
        continue;
      }
      if (c === SP || c === LPAREN || c === RPAREN || c === CR || c === LF) break;
      this.pos++;
    }
    if (this.pos === start) this.fail('expected an atom');
    return this.buf.toString('latin1', start, this.pos);
  }

  /** Skips one value of any kind; returns the literal when the value is one. */
  value(): { literal?: LiteralRef; atom?: string } {
    const c = this.peek();
    if (c === DQUOTE) {
      this.pos++;
      for (;;) {
        const d = this.peek();
        this.pos++;
        if (d === BACKSLASH) this.pos++;
        else if (d === DQUOTE) return {};
      }
    }
    if (c === LBRACE || c === TILDE) {
      const literal = this.literalAt.get(this.pos);
      if (!literal) this.fail('literal not announced at a line end');
      this.pos = literal.dataStart + literal.length;
      return { literal };
    }
    if (c === LPAREN) {
      this.pos++;
      for (;;) {
        this.skipSpaces();
        if (this.peek() === RPAREN) {
          this.pos++;
          return {};
        }
        this.value();
      }
    }
    return { atom: this.atom() };
  }
}

/** Parses `* n FETCH (...)`; throws an ImapError when the response is not well formed. */
export function parseFetchResponse(response: ImapResponse): FetchResponse {
  const m = FETCH_START.exec(response.first);
  if (!m) throw new ImapError('IMAP_MALFORMED_RESPONSE', 'not a FETCH response');
  const r = new Reader(response.raw, response.literals, m[0].length);
  const items: FetchItem[] = [];
  for (;;) {
    r.skipSpaces();
    if (r.peek() === RPAREN) break;
    const name = r.atom();
    if (r.peek() !== SP) r.fail(`expected a space after ${name}`);
    r.skipSpaces();
    const valueStart = r.pos;
    const v = r.value();
    items.push({ name, valueStart, valueEnd: r.pos, ...v });
  }
  return { seq: Number(m[1]), items };
}

/** What a FETCH item carries, for the content decisions of the layer. */
export type ContentKind =
  /** The whole message (`BODY[]`, `RFC822`) without a range. */
  | 'full'
  /**
   * Selected header fields and part headers (message listings): no attachment content, passed on unless
   * a cleaned copy is already known, so listing a mailbox does not download every message.
   */
  | 'header'
  /** Content that must come from the cleaned whole message: parts, text, whole header, ranges, BINARY. */
  | 'derived';

export interface ContentItem {
  kind: ContentKind;
  /** `BODY` or `BINARY` (RFC822 forms are mapped to BODY sections). */
  family: 'BODY' | 'BINARY';
  section: string;
  origin?: number;
}

const SECTION_ITEM = /^(BODY|BINARY)\[([^\]]*)\](?:<(\d+)>)?$/i;
const HEADER_SECTION = /(^|\.)(HEADER|HEADER\.FIELDS(\.NOT)?\s*\(.*\)|MIME)$/i;

/** Classifies a FETCH item name; undefined for items that carry no message content. */
export function contentItem(name: string): ContentItem | undefined {
  const upper = name.toUpperCase();
  if (upper === 'RFC822') return { kind: 'full', family: 'BODY', section: '' };
  if (upper === 'RFC822.TEXT') return { kind: 'derived', family: 'BODY', section: 'TEXT' };
  // The whole top-level header is what fetchmail reads before the text: it is answered from the cleaned
  // message (subject tag, scan header) so header and text fit together.
  if (upper === 'RFC822.HEADER') return { kind: 'derived', family: 'BODY', section: 'HEADER' };
  const m = SECTION_ITEM.exec(name);
  if (!m) return undefined;
  const family = m[1].toUpperCase() as 'BODY' | 'BINARY';
  const section = m[2];
  const origin = m[3] === undefined ? undefined : Number(m[3]);
  const wholeHeader = section.toUpperCase() === 'HEADER';
  if (family === 'BODY' && !wholeHeader && HEADER_SECTION.test(section)) {
    return { kind: 'header', family, section, origin };
  }
  if (family === 'BODY' && section === '' && origin === undefined) return { kind: 'full', family, section };
  return { kind: 'derived', family, section, origin };
}
