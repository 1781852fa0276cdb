// A small zip reader for scanning: lists members from the central directory (zip64 included) and
// inflates one member with a hard output cap, so a bomb costs at most the cap in memory and time
// whatever sizes its headers declare. Encrypted members and unknown methods are reported, not guessed.
import { inflateRawSync } from 'node:zlib';

export interface ZipMember {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** Uncompressed size as declared by the archive (may lie). */
  declaredSize: number;
  localOffset: number;
}

export class ZipError extends Error {
  constructor(
    readonly code: 'damaged' | 'too-large' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;

/** Member names come from the sender: control characters (line breaks in a header!) become "?". */
function displayName(buf: Buffer, flags: number, start: number, end: number): string {
  return buf.toString(flags & 0x800 ? 'utf8' : 'latin1', start, end).replace(/[\x00-\x1f\x7f]/g, '?');
}

export function looksLikeZip(data: Buffer): boolean {
  return data.length >= 22 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5);
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

export function listMembers(buf: Buffer): ZipMember[] {
  const eocd = findEocd(buf);
  if (eocd < 0) throw new ZipError('damaged', 'no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (
    (count === 0xffff || cdOffset === 0xffffffff) &&
    eocd >= 20 &&
    buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR
  ) {
    const z = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    if (z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD)
      throw new ZipError('damaged', 'bad zip64 record');
    count = Number(buf.readBigUInt64LE(z + 32));
    cdOffset = Number(buf.readBigUInt64LE(z + 48));
  }
  const members: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new ZipError('damaged', 'bad central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let declaredSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = displayName(buf, flags, p + 46, p + 46 + nameLen);
    // zip64 extra field: the sizes that are 0xFFFFFFFF above follow in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd && e + 4 <= buf.length) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        const next = () => {
          const v = q + 8 <= e + 4 + len ? Number(buf.readBigUInt64LE(q)) : 0;
          q += 8;
          return v;
        };
        if (declaredSize === 0xffffffff) declaredSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + len;
    }
    members.push({ name, method, encrypted: (flags & 1) === 1, compressedSize, declaredSize, localOffset });
    p = extraEnd + commentLen;
  }
  return members;
}

/**
 * Members found by walking local headers from the start, for an archive whose central directory is
 * damaged (what `unzip` and mail clients' previewers fall back to). Members whose sizes are only in a
 * data descriptor cannot be delimited this way and are skipped.
 */
export function listLocalMembers(buf: Buffer): ZipMember[] {
  const members: ZipMember[] = [];
  let p = 0;
  while (p + 30 <= buf.length && buf.readUInt32LE(p) === LOCAL) {
    const flags = buf.readUInt16LE(p + 6);
    const compressedSize = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extraLen = buf.readUInt16LE(p + 28);
    if (flags & 8 && compressedSize === 0) break;
    members.push({
      name: displayName(buf, flags, p + 30, p + 30 + nameLen),
      method: buf.readUInt16LE(p + 8),
      encrypted: (flags & 1) === 1,
      compressedSize,
      declaredSize: buf.readUInt32LE(p + 22),
      localOffset: p,
    });
    p += 30 + nameLen + extraLen + compressedSize;
  }
  return members;
}

/** The member's bytes, inflating at most `maxOutput` bytes (ZipError 'too-large' beyond). */
export function extractMember(buf: Buffer, m: ZipMember, maxOutput: number): Buffer {
  const h = m.localOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL)
    throw new ZipError('damaged', `bad local header for ${m.name}`);
  const dataStart = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(dataStart, Math.min(buf.length, dataStart + m.compressedSize));
  if (m.method === 0) {
    if (data.length > maxOutput) throw new ZipError('too-large', `${m.name} is larger than the limit`);
    return data;
  }
  if (m.method !== 8) throw new ZipError('unsupported', `${m.name} uses compression method ${m.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxOutput) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ZipError('too-large', `${m.name} expands beyond the limit`);
    throw new ZipError('damaged', `${m.name}: ${(err as Error).message}`);
  }
}
