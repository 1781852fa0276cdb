// For parts whose structure is broken (no boundary found, unknown transfer encoding, unreadable headers):
// what a lenient mail client might still decode from the bytes. Every run of base64-looking lines and a
// quoted-printable reading of the whole range are handed to the scanner as extra objects, so a damaged
// header cannot hide an attachment.
import { decodeBase64, decodeQuotedPrintable } from './decode.ts';

const MIN_RUN_CHARS = 16;

function isBase64Line(buf: Buffer, start: number, end: number): boolean {
  if (end - start < 4) return false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === 47 ||
      c === 61;
    if (!ok) return false;
  }
  return true;
}

export function salvageObjects(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd - runStart >= MIN_RUN_CHARS)
      out.push(decodeBase64(bytes.subarray(runStart, runEnd)));
    runStart = -1;
  };
  let pos = 0;
  while (pos < bytes.length) {
    let eol = bytes.indexOf(10, pos);
    if (eol < 0) eol = bytes.length;
    let end = eol;
    while (end > pos && (bytes[end - 1] === 13 || bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
    if (isBase64Line(bytes, pos, end)) {
      if (runStart < 0) runStart = pos;
      runEnd = eol;
    } else flush();
    pos = eol + 1;
  }
  flush();
  // A quoted-printable reading only where QP escapes appear (looked for in the first MiB).
  if (/=\r?\n|=[0-9A-F]{2}/.test(bytes.toString('latin1', 0, Math.min(bytes.length, 1 << 20))))
    out.push(decodeQuotedPrintable(bytes));
  return out;
}
