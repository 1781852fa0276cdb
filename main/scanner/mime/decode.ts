// Content-Transfer-Encoding decoders on Buffers. Base64 is the hot path (large attachments): regular
// 76-column bodies are decoded by Node's native decoder in 1 MiB slices straight into one output buffer,
// so the only extra memory is the decoded object itself; anything irregular falls back to a tolerant
// byte-by-byte decoder. Both ignore characters outside the alphabet, as mail clients do.

/** Transfer encodings that leave the body as it is (nothing to decode). */
export const IDENTITY_ENCODINGS: ReadonlySet<string> = new Set(['7bit', '8bit', 'binary']);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64 = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64[ALPHABET.charCodeAt(i)] = i;
const SLICE = 1 << 16;

export function decodeBase64(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil((src.length * 3) / 4) + 3);
  let o = 0;
  let pos = 0;
  // Fast path: lines of one width, a multiple of 4, each followed by CRLF or LF.
  const firstEol = src.indexOf(10);
  if (firstEol > 0) {
    const cr = src[firstEol - 1] === 13 ? 1 : 0;
    const width = firstEol - cr;
    const stride = width + cr + 1;
    if (width > 0 && width % 4 === 0) {
      let lines = 0;
      const maxLines = Math.floor(src.length / stride);
      while (
        lines < maxLines &&
        src[lines * stride + width + cr] === 10 &&
        (!cr || src[lines * stride + width] === 13)
      )
        lines++;
      // The last full line may carry padding; leave it to the tolerant decoder.
      if (lines > 1) lines--;
      const regularEnd = lines * stride;
      const sliceLines = Math.max(1, Math.floor(SLICE / stride));
      while (pos < regularEnd) {
        const end = Math.min(regularEnd, pos + sliceLines * stride);
        o += out.write(src.toString('latin1', pos, end), o, 'base64');
        pos = end;
      }
    }
  }
  o = decodeBase64Tolerant(src, pos, out, o);
  return out.subarray(0, o);
}

function decodeBase64Tolerant(src: Buffer, from: number, out: Buffer, o: number): number {
  let acc = 0;
  let n = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === 61) break; // "=": padding ends the data
    const v = B64[c];
    if (v < 0) continue;
    acc = (acc << 6) | v;
    if (++n === 4) {
      out[o++] = (acc >> 16) & 255;
      out[o++] = (acc >> 8) & 255;
      out[o++] = acc & 255;
      n = 0;
      acc = 0;
    }
  }
  if (n === 2) out[o++] = (acc >> 4) & 255;
  else if (n === 3) {
    out[o++] = (acc >> 10) & 255;
    out[o++] = (acc >> 2) & 255;
  }
  return o;
}

const HEX = new Int16Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Quoted-printable: `=XX` escapes, soft line breaks `=\r\n`; a stray `=` is kept as is. */
export function decodeQuotedPrintable(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c !== 61) {
      out[o++] = c;
      continue;
    }
    const a = src[i + 1];
    if (a === 13 && src[i + 2] === 10) i += 2;
    else if (a === 10) i += 1;
    else if (HEX[a] >= 0 && HEX[src[i + 2]] >= 0) {
      out[o++] = (HEX[a] << 4) | HEX[src[i + 2]];
      i += 2;
    } else out[o++] = c;
  }
  return out.subarray(0, o);
}

export interface UuFile {
  name: string;
  data: Buffer;
}

/** Every `begin MODE NAME` … `end` block in a text body (old mailers put attachments there). */
export function findUuencoded(text: Buffer): UuFile[] {
  const files: UuFile[] = [];
  let at = text.indexOf('begin ');
  while (at >= 0) {
    if (at === 0 || text[at - 1] === 10) {
      const eol = text.indexOf(10, at);
      const head = /^begin [0-7]{3,4} (.+?)\s*$/.exec(
        text.toString('latin1', at, eol < 0 ? text.length : eol),
      );
      if (head && eol >= 0) {
        const { data, end } = uudecodeLines(text, eol + 1);
        files.push({ name: head[1], data });
        at = text.indexOf('begin ', end);
        continue;
      }
    }
    at = text.indexOf('begin ', at + 6);
  }
  return files;
}

function uudecodeLines(text: Buffer, from: number): { data: Buffer; end: number } {
  const chunks: Buffer[] = [];
  let pos = from;
  while (pos < text.length) {
    let eol = text.indexOf(10, pos);
    if (eol < 0) eol = text.length;
    let lineEnd = eol;
    if (text[lineEnd - 1] === 13) lineEnd--;
    const line = text.subarray(pos, lineEnd);
    pos = eol + 1;
    if (line.length === 0) continue;
    if (line.toString('latin1').startsWith('end')) break;
    const n = (line[0] - 32) & 63;
    if (n === 0) continue;
    const bytes = Buffer.alloc(Math.ceil(n / 3) * 3);
    let o = 0;
    for (let i = 1; i + 3 < line.length + 3 && o < n; i += 4) {
      const v = (k: number) => ((line[i + k] ?? 32) - 32) & 63;
      bytes[o++] = (v(0) << 2) | (v(1) >> 4);
      bytes[o++] = ((v(1) << 4) | (v(2) >> 2)) & 255;
      bytes[o++] = ((v(2) << 6) | v(3)) & 255;
    }
    chunks.push(bytes.subarray(0, n));
  }
  return { data: Buffer.concat(chunks), end: pos };
}

/** Decode a body per its Content-Transfer-Encoding; unknown encodings are scanned as they are. */
export function decodeBody(body: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'x-uuencode':
    case 'uuencode':
    case 'x-uue': {
      const files = findUuencoded(body);
      return files.length ? Buffer.concat(files.map((f) => f.data)) : body;
    }
    default:
      return body;
  }
}
