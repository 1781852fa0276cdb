// The MIME structure of a message as byte ranges into the original buffer: nothing is copied, and the
// cleaner can splice replacements into exactly those ranges so everything else stays byte-identical.
// Part numbers follow IMAP (RFC 3501 BODY[n]): 1, 2, 2.1 …; a single-part message's body is part 1.
// Broken structure never throws: the node records its problem and is scanned as a raw blob.
import { IDENTITY_ENCODINGS } from './decode.ts';
import { parsePartHeaders, type PartHeaders } from './headers.ts';

export interface MimeNode {
  /** IMAP part number; '' for the top level of a multipart message. */
  part: string;
  /** Start of this part's header block (for a message: the message start). */
  start: number;
  /** End of the header block (where the blank line starts). */
  headerEnd: number;
  bodyStart: number;
  /** End of the body (exclusive): the CRLF before the next delimiter is not part of the body. */
  end: number;
  headers: PartHeaders;
  /** The header block is a whole message's (top level or inside message/rfc822). */
  messageRoot: boolean;
  children: MimeNode[];
  /** What was malformed here: a node with problems and no children is scanned as raw bytes. */
  problems: string[];
  /** Nesting of message/rfc822 around this node (the top level is 0). */
  depth: number;
}

const MAX_PARTS = 10_000;
/** Parsing stops nesting here whatever the settings say (the scanner's archiveDepth is lower). */
const MAX_NESTING = 64;

export function parseMessage(buf: Buffer, start = 0, end = buf.length, part = '', depth = 0): MimeNode {
  const counter = { parts: 0 };
  return parseEntity(buf, start, end, part, true, depth, counter);
}

function headerSplit(
  buf: Buffer,
  start: number,
  end: number,
): { headerEnd: number; bodyStart: number } | null {
  if (buf[start] === 10) return { headerEnd: start, bodyStart: start + 1 };
  if (buf[start] === 13 && buf[start + 1] === 10) return { headerEnd: start, bodyStart: start + 2 };
  let i = buf.indexOf(10, start);
  while (i >= 0 && i < end) {
    const next = buf[i + 1];
    if (next === 10) return { headerEnd: i + 1, bodyStart: i + 2 };
    if (next === 13 && buf[i + 2] === 10) return { headerEnd: i + 1, bodyStart: i + 3 };
    i = buf.indexOf(10, i + 1);
  }
  return null;
}

function parseEntity(
  buf: Buffer,
  start: number,
  end: number,
  part: string,
  messageRoot: boolean,
  depth: number,
  counter: { parts: number },
): MimeNode {
  const split = headerSplit(buf, start, end);
  const headerEnd = split ? Math.min(split.headerEnd, end) : end;
  const bodyStart = split ? Math.min(split.bodyStart, end) : end;
  const headers = parsePartHeaders(buf.toString('utf8', start, headerEnd));
  const node: MimeNode = {
    part: part || (messageRoot && !headers.contentType.startsWith('multipart/') ? '1' : part),
    start,
    headerEnd,
    bodyStart,
    end,
    headers,
    messageRoot,
    children: [],
    problems: [...headers.problems],
    depth,
  };
  if (!split) node.problems.push('no blank line after the header block');
  if (++counter.parts > MAX_PARTS) {
    node.problems.push(`more than ${MAX_PARTS} parts`);
    return node;
  }
  if (headers.contentType.startsWith('multipart/')) splitMultipart(buf, node, counter);
  else if (isEncapsulated(headers) && depth < MAX_NESTING) {
    // IMAP numbers an attached message's parts under the message/rfc822 part: N.1, N.2 (or N.1 alone).
    const inner = parseEntity(buf, bodyStart, end, node.part, true, depth + 1, counter);
    if (!inner.headers.contentType.startsWith('multipart/')) relabel(inner, node.part + '.1');
    node.children.push(inner);
  }
  return node;
}

/** An attached message the tree can walk in place (an encoded one is decoded by the scanner instead). */
export function isEncapsulated(h: PartHeaders): boolean {
  return (
    (h.contentType === 'message/rfc822' || h.contentType === 'message/global') &&
    IDENTITY_ENCODINGS.has(h.encoding)
  );
}

function relabel(node: MimeNode, part: string): void {
  node.part = part;
}

function splitMultipart(buf: Buffer, node: MimeNode, counter: { parts: number }): void {
  const boundary = node.headers.params.boundary;
  if (!boundary) {
    node.problems.push('multipart without a boundary parameter');
    return;
  }
  const delim = Buffer.from('--' + boundary, 'utf8');
  const prefix = node.part ? node.part + '.' : '';
  let partStart = -1;
  let pos = node.bodyStart;
  let closed = false;
  while (pos < node.end) {
    const at = findDelimiter(buf, delim, pos, node.end);
    if (!at) break;
    if (partStart >= 0) {
      const n = node.children.length + 1;
      node.children.push(parseEntity(buf, partStart, at.lineStart, prefix + n, false, node.depth, counter));
    }
    if (at.close) {
      closed = true;
      break;
    }
    partStart = at.next;
    pos = at.next;
  }
  if (!closed) {
    if (partStart >= 0) {
      const n = node.children.length + 1;
      node.children.push(parseEntity(buf, partStart, node.end, prefix + n, false, node.depth, counter));
    }
    node.problems.push(partStart >= 0 ? 'missing closing boundary' : 'no boundary found in the body');
  }
}

interface Delimiter {
  /** Where the body before it ends (the CRLF preceding the delimiter belongs to the delimiter). */
  lineStart: number;
  /** First byte after the delimiter line. */
  next: number;
  close: boolean;
}

/** A delimiter is `--boundary` at a line start, followed by `--` or only whitespace to the line end. */
function findDelimiter(buf: Buffer, delim: Buffer, from: number, end: number): Delimiter | null {
  let i = buf.indexOf(delim, from);
  while (i >= 0 && i + delim.length <= end) {
    const atLineStart = i === from || buf[i - 1] === 10;
    if (atLineStart) {
      let j = i + delim.length;
      const close = buf[j] === 45 && buf[j + 1] === 45;
      if (close) j += 2;
      while (j < end && (buf[j] === 32 || buf[j] === 9)) j++;
      const eol = j >= end || buf[j] === 10 || (buf[j] === 13 && buf[j + 1] === 10);
      if (eol || close) {
        let lineStart = i;
        if (i > from && buf[i - 1] === 10) lineStart = buf[i - 2] === 13 && i - 2 >= from ? i - 2 : i - 1;
        if (!close || eol) {
          const next = j >= end ? end : buf[j] === 13 ? j + 2 : j + 1;
          return { lineStart, next: Math.min(next, end), close };
        }
        return { lineStart, next: end, close };
      }
    }
    i = buf.indexOf(delim, i + 1);
  }
  return null;
}

/** Every node, depth first, in part-number order. */
export function* walkNodes(node: MimeNode): Generator<MimeNode> {
  yield node;
  for (const c of node.children) yield* walkNodes(c);
}
