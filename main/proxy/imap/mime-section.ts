// Answers an IMAP section (`BODY[2.1]`, `BODY[TEXT]`, `BINARY[3]`, `BODY[1.MIME]` …) from a whole
// message, with RFC 3501 §6.4.5 part numbering: used to serve per-part fetches from the cleaned copy.
// Byte ranges are cut from the message as it is; nothing is re-encoded except for BINARY.

interface Entity {
  /** Header including the blank line that ends it. */
  headerStart: number;
  headerEnd: number;
  bodyStart: number;
  bodyEnd: number;
  contentType: string;
  boundary?: string;
  transferEncoding: string;
}

/**
 * Where the header starting at `start` ends: after the first blank line (CRLF CRLF or LF LF) beginning
 * before `end`, else `end`. Each search stops where a match could no longer win, so it reads the header,
 * not the rest of the message (a CRLF message has no LF LF at all): this runs for every part of every
 * section served from a cleaned copy, chunk after chunk.
 */
function findHeaderEnd(buf: Buffer, start: number, end: number): number {
  if (buf[start] === 0x0d && buf[start + 1] === 0x0a) return start + 2;
  if (buf[start] === 0x0a) return start + 1;
  // A window ending at end + 3 (+ 1) holds exactly the matches that begin before `end`.
  const crlf = buf.subarray(start, end + 3).indexOf('\r\n\r\n');
  const limit = crlf >= 0 ? start + crlf + 3 : end + 1;
  const lf = buf.subarray(start, limit).indexOf('\n\n');
  if (lf >= 0) return start + lf + 2;
  return crlf >= 0 ? start + crlf + 4 : end;
}

/** The unfolded value of the first header field named `name`, if any. */
export function headerValue(header: string, name: string): string | undefined {
  const re = new RegExp(`^${name}[ \\t]*:([^\\n]*(?:\\r?\\n[ \\t][^\\n]*)*)`, 'im');
  const m = re.exec(header);
  return m ? m[1].replace(/\r?\n/g, '').trim() : undefined;
}

function parseEntity(buf: Buffer, start: number, end: number, defaultType = 'text/plain'): Entity {
  const headerEnd = findHeaderEnd(buf, start, end);
  const header = buf.toString('latin1', start, headerEnd);
  const ct = headerValue(header, 'Content-Type') ?? defaultType;
  const contentType = ct.split(';')[0].trim().toLowerCase() || defaultType;
  const b = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(ct);
  const cte = (headerValue(header, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase();
  return {
    headerStart: start,
    headerEnd,
    bodyStart: headerEnd,
    bodyEnd: end,
    contentType,
    boundary: contentType.startsWith('multipart/') ? (b?.[1] ?? b?.[2]) : undefined,
    transferEncoding: cte,
  };
}

/** The body parts of a multipart entity, each with its own MIME header. */
function children(buf: Buffer, e: Entity): Entity[] {
  if (!e.boundary) return [];
  const delim = Buffer.from(`--${e.boundary}`, 'latin1');
  const childType = e.contentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const starts: { at: number; after: number; close: boolean }[] = [];
  let from = e.bodyStart;
  for (;;) {
    const at = buf.indexOf(delim, from);
    if (at < 0 || at >= e.bodyEnd) break;
    from = at + delim.length;
    if (at !== e.bodyStart && buf[at - 1] !== 0x0a) continue;
    const close = buf[from] === 0x2d && buf[from + 1] === 0x2d;
    const lineEnd = buf.indexOf(0x0a, from);
    starts.push({ at, after: lineEnd < 0 || lineEnd >= e.bodyEnd ? e.bodyEnd : lineEnd + 1, close });
    if (close) break;
  }
  const parts: Entity[] = [];
  for (let i = 0; i + 1 < starts.length || (i < starts.length && !starts[i].close); i++) {
    if (starts[i].close) break;
    const next = starts[i + 1];
    let end = next ? next.at : e.bodyEnd;
    // The line break before a delimiter belongs to the delimiter — except, as Dovecot counts it, when it
    // ends a nested close-delimiter line (`--inner--`): then it stays with the nested multipart.
    if (next && buf[end - 1] === 0x0a) {
      const cut = end - (buf[end - 2] === 0x0d ? 2 : 1);
      const lineStart = buf.lastIndexOf(0x0a, cut - 1) + 1;
      const lastLine = buf.toString('latin1', Math.max(lineStart, starts[i].after), cut);
      if (!/^--.*--[ \t]*$/.test(lastLine)) end = cut;
    }
    end = Math.max(end, starts[i].after);
    parts.push(parseEntity(buf, starts[i].after, end, childType));
  }
  return parts;
}

function isMessage(e: Entity): boolean {
  return e.contentType === 'message/rfc822' || e.contentType === 'message/global';
}

/** The message an entity of type message/rfc822 encapsulates. */
function encapsulated(buf: Buffer, e: Entity): Entity {
  return parseEntity(buf, e.bodyStart, e.bodyEnd);
}

/** Resolves a part path (`2.1.3`) to its entity; undefined when the message has no such part. */
function resolvePart(buf: Buffer, top: Entity, path: number[]): Entity | undefined {
  let current = top;
  let container: Entity = top;
  for (const n of path) {
    if (!(n >= 1)) return undefined;
    if (container.contentType.startsWith('multipart/')) {
      // A multipart without a boundary has no readable parts: its part 1 is empty (as Dovecot answers).
      const kids = container.boundary
        ? children(buf, container)
        : [
            {
              ...container,
              headerStart: container.bodyEnd,
              headerEnd: container.bodyEnd,
              bodyStart: container.bodyEnd,
            },
          ];
      if (n > kids.length) return undefined;
      current = kids[n - 1];
    } else {
      if (n !== 1) return undefined;
      current = container;
    }
    container = isMessage(current) ? encapsulated(buf, current) : current;
  }
  return current;
}

function decodeQuotedPrintable(s: string): Buffer {
  const text = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

function decodeBody(buf: Buffer, e: Entity): Buffer {
  const body = buf.subarray(e.bodyStart, e.bodyEnd);
  if (e.transferEncoding === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (e.transferEncoding === 'quoted-printable') return decodeQuotedPrintable(body.toString('latin1'));
  return body;
}

/** Header fields named in `HEADER.FIELDS (A B)` (or all but those with `.NOT`), plus the blank line. */
function headerFields(buf: Buffer, e: Entity, spec: string): Buffer {
  const m = /^HEADER\.FIELDS(\.NOT)?\s*\((.*)\)$/i.exec(spec);
  if (!m) return Buffer.alloc(0);
  const names = new Set(
    m[2]
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => n.replace(/^"|"$/g, '').toLowerCase()),
  );
  const header = buf.toString('latin1', e.headerStart, e.headerEnd);
  const fields = header.split(/\r?\n(?![ \t])/).filter((f) => f.length > 0);
  const picked = fields.filter((f) => names.has(f.split(':')[0].trim().toLowerCase()) !== Boolean(m[1]));
  return Buffer.from(picked.map((f) => f + '\r\n').join('') + '\r\n', 'latin1');
}

/**
 * The bytes of `section` of `message` as an IMAP server returns them for `family[section]`,
 * or undefined when the message has no such part.
 */
export function extractSection(
  message: Buffer,
  section: string,
  family: 'BODY' | 'BINARY' = 'BODY',
): Buffer | undefined {
  const top = parseEntity(message, 0, message.length);
  const m = /^((?:\d+\.)*\d+)?\.?(HEADER\.FIELDS.*|HEADER|TEXT|MIME)?$/i.exec(section.trim());
  if (!m) return undefined;
  const path = m[1] ? m[1].split('.').map(Number) : [];
  const spec = (m[2] ?? '').toUpperCase();
  if (path.length === 0) {
    if (spec === '') return message;
    if (spec === 'TEXT') return message.subarray(top.bodyStart, top.bodyEnd);
    if (spec === 'HEADER') return message.subarray(top.headerStart, top.headerEnd);
    if (spec.startsWith('HEADER.FIELDS')) return headerFields(message, top, m[2]);
    return undefined;
  }
  const part = resolvePart(message, top, path);
  if (!part) return undefined;
  if (spec === '')
    return family === 'BINARY' ? decodeBody(message, part) : message.subarray(part.bodyStart, part.bodyEnd);
  if (spec === 'MIME') return message.subarray(part.headerStart, part.headerEnd);
  if (!isMessage(part)) return undefined;
  const inner = encapsulated(message, part);
  if (spec === 'TEXT') return message.subarray(inner.bodyStart, inner.bodyEnd);
  if (spec === 'HEADER') return message.subarray(inner.headerStart, inner.headerEnd);
  return headerFields(message, inner, m[2]);
}

/** The Content-Transfer-Encoding of every leaf part, by IMAP section number (`1`, `2.1` …). */
export function partEncodings(message: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (e: Entity, section: string): void => {
    if (e.contentType.startsWith('multipart/')) {
      children(message, e).forEach((kid, i) => visit(kid, section ? `${section}.${i + 1}` : `${i + 1}`));
    } else if (section && isMessage(e)) {
      const inner = encapsulated(message, e);
      if (inner.contentType.startsWith('multipart/')) visit(inner, section);
      else out.set(`${section}.1`, inner.transferEncoding);
    } else out.set(section || '1', e.transferEncoding);
  };
  visit(parseEntity(message, 0, message.length), '');
  return out;
}

/**
 * `text` base64-encoded in 76-character lines, padded with spaces to `length` when shorter (decoders
 * skip characters outside the base64 alphabet, RFC 2045 §6.8), so a part keeps the size its
 * BODYSTRUCTURE announced.
 */
export function base64Padded(text: Buffer, length: number): Buffer {
  const b64 = text.toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
  return Buffer.from(b64.length < length ? b64 + ' '.repeat(length - b64.length) : b64, 'latin1');
}
