// Produces the delivered bytes from a plan: a list of non-overlapping splices into the original buffer,
// so every byte outside a replaced part, the top header edits and the tag note stays identical and no
// existing part is renumbered (a tag part is only ever appended after the last one).
import type { MimeNode } from '../scanner/mime/tree.ts';
import type { Plan, Removal } from './decide.ts';
import { editHeaderBlock, encodeHeaderText, paddingLines } from './header-edit.ts';
import { buildNotice, wrapNote } from './notice.ts';

export const SCAN_HEADER = 'X-Mailward-Scan';
const CONTENT_FIELDS = [
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-description',
];

interface Splice {
  start: number;
  end: number;
  bytes: Buffer;
}

export interface Rewritten {
  output: Buffer;
  /** Every replaced body kept its byte length (numbering and part sizes valid). */
  partSizesPreserved: boolean;
  /** …and the whole message kept its length. */
  sizePreserved: boolean;
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** How many bytes the splices add to the message (negative when it shrinks). */
const growth = (list: Splice[]) => list.reduce((n, s) => n + s.bytes.length - (s.end - s.start), 0);

export function rewrite(raw: Buffer, root: MimeNode, plan: Plan, preserveSize: boolean): Rewritten {
  // The message's line ending is the one its first line ends with.
  const firstLf = raw.indexOf(10);
  const eol = firstLf > 0 && raw[firstLf - 1] === 13 ? '\r\n' : '\n';
  const build = (pad: number) => splices(raw, root, plan, preserveSize, eol, pad);
  let { list, fits } = build(0);
  const delta = growth(list);
  if (preserveSize && delta < 0 && plan.removals.length > 0) ({ list, fits } = build(-delta));
  const finalDelta = growth(list);
  list.sort((a, b) => a.start - b.start || a.end - b.end);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const s of list) {
    chunks.push(raw.subarray(at, s.start), s.bytes);
    at = s.end;
  }
  chunks.push(raw.subarray(at));
  return {
    output: Buffer.concat(chunks),
    partSizesPreserved: fits,
    sizePreserved: fits && finalDelta === 0,
  };
}

function splices(raw: Buffer, root: MimeNode, plan: Plan, preserve: boolean, eol: string, pad: number) {
  const list: Splice[] = [];
  let fits = true;
  const rootRemoval = plan.removals.find((r) => r.unit.node === root);
  // The note goes inside a notice when there is nowhere else to put it without changing the structure.
  const noteInNotice = Boolean(plan.note) && (preserve || rootRemoval !== undefined);
  let padLeft = pad;
  const noticeFor = (r: Removal, i: number) => {
    const n = buildNotice(r, {
      eol,
      fitBytes: preserve ? r.unit.node.end - r.unit.node.bodyStart : undefined,
      note: noteInNotice && i === 0 ? plan.note : null,
    });
    if (preserve && !n.fits) fits = false;
    let lines = n.headerLines;
    if (padLeft > 0) {
      const padding = paddingLines(padLeft, eol);
      if (padding) lines = [...lines, ...padding];
      else lines = [...lines.slice(0, -1), lines[lines.length - 1] + ' '.repeat(padLeft)];
      padLeft = 0;
    }
    return { lines, body: n.body };
  };

  // Top header: scan header first, old scan headers dropped, subject tag, and the root's own content
  // fields when the root itself is the replaced part (a single-part message).
  const topEdits = {
    remove: [] as string[],
    prepend: [] as string[],
    append: [] as string[],
    subjectTag: undefined as string | undefined,
  };
  if (plan.scanHeader) {
    topEdits.remove.push(SCAN_HEADER.toLowerCase());
    topEdits.prepend.push(`${SCAN_HEADER}: ${plan.scanHeader}`);
  }
  if (plan.subjectTag) topEdits.subjectTag = encodeHeaderText(plan.subjectTag);

  plan.removals.forEach((r, i) => {
    const node = r.unit.node;
    const notice = noticeFor(r, i);
    if (node.messageRoot) {
      const edits = { remove: CONTENT_FIELDS, append: notice.lines };
      if (node === root) {
        topEdits.remove.push(...CONTENT_FIELDS);
        topEdits.append.push(...notice.lines);
      } else list.push(headerSplice(raw, node, edits));
      list.push({ start: node.bodyStart, end: node.end, bytes: notice.body });
    } else {
      const sep =
        node.bodyStart > node.headerEnd ? raw.subarray(node.headerEnd, node.bodyStart) : latin1(eol);
      const head = latin1(notice.lines.map((l) => l + eol).join(''));
      list.push({ start: node.start, end: node.end, bytes: Buffer.concat([head, sep, notice.body]) });
    }
  });

  if (topEdits.prepend.length || topEdits.remove.length || topEdits.subjectTag || topEdits.append.length)
    list.push(headerSplice(raw, root, topEdits));

  if (plan.note && !noteInNotice) {
    const extra = noteSplice(raw, root, plan.note, eol);
    if (extra) list.push(extra);
  }
  return { list, fits };
}

function headerSplice(raw: Buffer, node: MimeNode, edits: Parameters<typeof editHeaderBlock>[1]): Splice {
  const block = raw.toString('latin1', node.start, node.headerEnd);
  return { start: node.start, end: node.headerEnd, bytes: latin1(editHeaderBlock(block, edits)) };
}

/**
 * The visible tag note: a last text/plain part of a top-level multipart/mixed, or a footer at the end of
 * a single-part plain-text body (7bit, 8bit or quoted-printable). Elsewhere (alternative/related roots,
 * HTML or base64 bodies) adding text would change what the client shows or break the encoding: the
 * header alone carries the tag there.
 */
function noteSplice(raw: Buffer, root: MimeNode, note: string, eol: string): Splice | null {
  const text = wrapNote(note, eol);
  const h = root.headers;
  if (h.contentType.startsWith('multipart/')) {
    const last = root.children[root.children.length - 1];
    if (!last || h.contentType === 'multipart/alternative' || h.contentType === 'multipart/related')
      return null;
    const part =
      `${eol}--${h.params.boundary}${eol}Content-Type: text/plain; charset=us-ascii${eol}` +
      `Content-Disposition: inline${eol}X-Mailward-Note: yes${eol}${eol}${text.replace(/\r?\n$/, '')}`;
    return { start: last.end, end: last.end, bytes: latin1(part) };
  }
  if (h.contentType !== 'text/plain' || !['7bit', '8bit', 'quoted-printable'].includes(h.encoding))
    return null;
  const body = h.encoding === 'quoted-printable' ? text.replace(/=/g, '=3D') : text;
  const endsWithEol = root.end > root.bodyStart && raw[root.end - 1] === 10;
  const footer = `${endsWithEol ? '' : eol}${eol}-- ${eol}${body}`;
  return { start: root.end, end: root.end, bytes: latin1(footer) };
}
