// Scans one message: walks its MIME tree (main/scanner/mime), decodes every leaf, opens zips, uuencoded
// blocks and attached messages within the limits, and asks every backend about every object.
// Findings are kept per "unit" — the MIME node of the original buffer that holds them — so the cleaner
// can replace exactly that node. Never throws on message content; backend failures become unscannable.
import { setImmediate as nextTick } from 'node:timers/promises';
import { decodeBody, findUuencoded, IDENTITY_ENCODINGS } from './mime/decode.ts';
import { salvageObjects } from './mime/salvage.ts';
import { parseMessage, walkNodes, type MimeNode } from './mime/tree.ts';
import { limitReason, memberCap, RATIO_FLOOR } from './limits.ts';
import { extractMember, listLocalMembers, listMembers, looksLikeZip, ZipError } from './zip.ts';
import type {
  MessageScanResult,
  PartVerdict,
  ScanBackend,
  ScanLimits,
  ScanObject,
  Verdict,
} from './types.ts';

export interface Finding {
  threat: string;
  heuristic: boolean;
  /** Object path: `2`, `2/outer.zip/inner.zip/eicar.com`. */
  path: string;
  filename?: string;
}

export interface UnitResult {
  node: MimeNode;
  threats: Finding[];
  unscannable: { reason: string; path: string }[];
}

export interface MessageScan {
  result: MessageScanResult;
  root: MimeNode;
  /** One entry per leaf MIME node of the original message, in part order. */
  units: UnitResult[];
}

export interface ScanOptions {
  backends: ScanBackend[];
  limits: ScanLimits;
  signal?: AbortSignal;
  /** A backend failed on an object (logged by the caller; the object counts as unscannable). */
  onBackendError?: (backend: string, path: string, err: unknown) => void;
}

class Stop extends Error {}

const KNOWN_ENCODINGS = new Set([
  '7bit',
  '8bit',
  'binary',
  'base64',
  'quoted-printable',
  'x-uuencode',
  'uuencode',
  'x-uue',
]);

interface Walk {
  opts: ScanOptions;
  signal: AbortSignal;
  /** Rejects with Stop when the scan is cancelled or times out. */
  aborted: Promise<never>;
  expanded: number;
  /** When this scan last let other connections' work run (performance.now()). */
  lastYield: number;
}

/** A scan hands the event loop back at least this often (ms): long enough that a small message never
 * pays for a loop turn per part, short enough that one big scan does not stall other connections. */
const YIELD_EVERY_MS = 2;

export async function scanMessage(raw: Buffer, opts: ScanOptions): Promise<MessageScan> {
  const started = performance.now();
  const root = parseMessage(raw);
  const units: UnitResult[] = [];
  const problems: string[] = [];
  for (const n of walkNodes(root)) {
    if (n.children.length === 0) units.push({ node: n, threats: [], unscannable: [] });
    for (const p of n.problems) problems.push(`part ${n.part || 'top'}: ${p}`);
  }
  // One controller and a timer cleared at the end. AbortSignal.timeout/any would keep a timer and weak
  // references alive for maxScanTimeMs after every message: measurable timer and GC cost per message
  // on a proxy scanning hundreds of messages a second.
  const controller = new AbortController();
  // One rejection per scan that every backend call races against, rather than a promise and an abort
  // listener added and removed for every object and backend.
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(new Stop()), { once: true }),
  );
  aborted.catch(() => {});
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.limits.maxScanTimeMs);
  timer.unref();
  const cancel = () => controller.abort();
  if (opts.signal?.aborted) cancel();
  else opts.signal?.addEventListener('abort', cancel, { once: true });
  const walk: Walk = {
    opts,
    signal: controller.signal,
    aborted,
    expanded: 0,
    lastYield: performance.now(),
  };
  try {
    await scanUnits(raw, units, walk, () => timedOut);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', cancel);
  }
  return { root, units, result: summarize(units, raw.length, performance.now() - started, problems) };
}

async function scanUnits(
  raw: Buffer,
  units: UnitResult[],
  walk: Walk,
  timedOut: () => boolean,
): Promise<void> {
  const { opts } = walk;
  if (raw.length > opts.limits.maxMessageSize) {
    const reason = limitReason.messageSize(raw.length, opts.limits);
    for (const u of units) u.unscannable.push({ reason, path: u.node.part });
  } else {
    for (const unit of units) {
      if (unit.unscannable.length > 0) continue;
      try {
        await scanLeaf(raw, unit, walk);
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
        const reason = timedOut() ? limitReason.time(opts.limits) : 'scan cancelled';
        for (const u of units.slice(units.indexOf(unit))) u.unscannable.push({ reason, path: u.node.part });
        break;
      }
    }
  }
}

async function scanLeaf(raw: Buffer, unit: UnitResult, walk: Walk): Promise<void> {
  const { node } = unit;
  const path = node.part;
  if (node.depth > walk.opts.limits.archiveDepth) {
    unit.unscannable.push({ reason: limitReason.depth(path, walk.opts.limits), path });
    return;
  }
  const body = raw.subarray(node.bodyStart, node.end);
  const h = node.headers;
  const base = { filename: h.filename, contentType: h.contentType, path, depth: node.depth };
  await scanObject({ ...base, data: decodeBody(body, h.encoding) }, unit, walk);
  // A broken part is also scanned as the raw bytes a client may see, and as what a lenient client might
  // decode from them (see salvage.ts).
  const text = h.contentType.startsWith('text/');
  // Binary content declared without a transfer encoding, or text carrying MIME headers, is suspicious too.
  const unencodedBinary = !text && IDENTITY_ENCODINGS.has(h.encoding);
  const embedsMime = text && body.includes('ontent-Transfer-Encoding:');
  if (node.problems.length > 0 || !KNOWN_ENCODINGS.has(h.encoding) || unencodedBinary || embedsMime) {
    const range = raw.subarray(node.start, node.end);
    if (h.encoding !== '7bit') await scanObject({ ...base, data: range }, unit, walk);
    let k = 0;
    for (const data of salvageObjects(range)) {
      await scanObject({ data, path: `${path}/salvaged-${++k}`, depth: node.depth }, unit, walk);
    }
  }
}

async function scanObject(object: ScanObject, unit: UnitResult, walk: Walk): Promise<void> {
  if (walk.signal.aborted) throw new Stop();
  if (performance.now() - walk.lastYield > YIELD_EVERY_MS) {
    await nextTick(); // let other connections' work run between objects
    walk.lastYield = performance.now();
    if (walk.signal.aborted) throw new Stop();
  }
  for (const backend of walk.opts.backends)
    record(unit, object, backend.name, await runBackend(backend, object, walk));
  const depth = object.depth ?? 0;
  const ct = object.contentType ?? '';
  if (looksLikeZip(object.data)) await scanZip(object, unit, walk, depth + 1);
  else if (ct.startsWith('text/') || ct === '') {
    for (const f of findUuencoded(object.data)) {
      await scanObject(
        { data: f.data, filename: f.name, path: `${object.path}/${f.name}`, depth },
        unit,
        walk,
      );
    }
  } else if (ct.startsWith('message/') && depth < 64) {
    await scanEmbeddedMessage(object, unit, walk, depth + 1);
  }
}

function record(unit: UnitResult, object: ScanObject, _backend: string, v: Verdict): void {
  if (v.kind === 'infected')
    unit.threats.push({
      threat: v.threat,
      heuristic: v.heuristic,
      path: object.path,
      filename: object.filename,
    });
  else if (v.kind === 'unscannable')
    unit.unscannable.push({ reason: `${object.path}: ${v.reason}`, path: object.path });
}

async function runBackend(backend: ScanBackend, object: ScanObject, walk: Walk): Promise<Verdict> {
  try {
    return await Promise.race([backend.scan(object, walk.signal), walk.aborted]);
  } catch (err) {
    if (err instanceof Stop) throw err;
    walk.opts.onBackendError?.(backend.name, object.path, err);
    return {
      kind: 'unscannable',
      reason: `scanner ${backend.name} failed: ${(err as Error)?.message ?? err}`,
    };
  }
}

/** A message/rfc822 part that had a transfer encoding: decoded, parsed and walked as a separate message. */
async function scanEmbeddedMessage(
  object: ScanObject,
  unit: UnitResult,
  walk: Walk,
  depth: number,
): Promise<void> {
  const limits = walk.opts.limits;
  if (depth > limits.archiveDepth) {
    unit.unscannable.push({ reason: limitReason.depth(object.path, limits), path: object.path });
    return;
  }
  const inner = parseMessage(object.data);
  for (const leaf of walkNodes(inner)) {
    if (leaf.children.length > 0) continue;
    const h = leaf.headers;
    const data = decodeBody(object.data.subarray(leaf.bodyStart, leaf.end), h.encoding);
    const path = `${object.path}/${leaf.part}`;
    await scanObject({ data, filename: h.filename, contentType: h.contentType, path, depth }, unit, walk);
  }
}

async function scanZip(object: ScanObject, unit: UnitResult, walk: Walk, depth: number): Promise<void> {
  const limits = walk.opts.limits;
  const fail = (reason: string) => unit.unscannable.push({ reason, path: object.path });
  if (depth > limits.archiveDepth) return void fail(limitReason.depth(object.path, limits));
  let members;
  try {
    members = listMembers(object.data);
  } catch (err) {
    members = listLocalMembers(object.data);
    if (members.length === 0)
      return void fail(`${object.path}: damaged zip archive (${(err as Error).message})`);
  }
  // Members are named under the archive: `2/outer.zip/inner.zip/eicar.com`.
  const base = !object.inArchive && object.filename ? `${object.path}/${object.filename}` : object.path;
  for (const m of members) {
    if (m.name.endsWith('/')) continue;
    const path = `${base}/${m.name}`;
    if (m.encrypted) {
      fail(`${path}: encrypted archive member, cannot be scanned`);
      continue;
    }
    const ratio = Math.round(m.declaredSize / Math.max(1, m.compressedSize));
    if (m.declaredSize > RATIO_FLOOR && ratio > limits.archiveExpansionRatio)
      return void fail(limitReason.ratio(path, ratio, limits));
    if (walk.expanded + m.declaredSize > limits.archiveTotalSize)
      return void fail(limitReason.total(path, limits));
    let data: Buffer;
    try {
      data = extractMember(object.data, m, memberCap(m.compressedSize, walk.expanded, limits));
    } catch (err) {
      if (!(err instanceof ZipError)) throw err;
      if (err.code !== 'too-large') {
        fail(
          `${path}: ${err.code === 'unsupported' ? 'unsupported' : 'damaged'} archive member (${err.message})`,
        );
        continue;
      }
      const overTotal = walk.expanded + memberCap(m.compressedSize, 0, limits) > limits.archiveTotalSize;
      return void fail(
        overTotal ? limitReason.total(path, limits) : limitReason.lyingRatio(path, m.declaredSize, limits),
      );
    }
    walk.expanded += data.length;
    await scanObject({ data, filename: m.name, path, depth, inArchive: true }, unit, walk);
  }
}

function summarize(
  units: UnitResult[],
  bytes: number,
  durationMs: number,
  problems: string[],
): MessageScanResult {
  const parts: PartVerdict[] = units.map(({ node, threats, unscannable }) => {
    const base = { part: node.part, contentType: node.headers.contentType, filename: node.headers.filename };
    if (threats.length > 0) {
      const t = threats[0];
      const detail = t.path !== node.part ? t.path : undefined;
      return { ...base, verdict: { kind: 'infected', threat: t.threat, heuristic: t.heuristic }, detail };
    }
    if (unscannable.length > 0) {
      const u = unscannable[0];
      return {
        ...base,
        verdict: { kind: 'unscannable', reason: u.reason },
        detail: u.path !== node.part ? u.path : undefined,
      };
    }
    return { ...base, verdict: { kind: 'clean' } };
  });
  const threats = [...new Set(units.flatMap((u) => u.threats.map((t) => t.threat)))];
  const unscannable = [...new Set(units.flatMap((u) => u.unscannable.map((x) => x.reason)))];
  const verdict = threats.length > 0 ? 'infected' : unscannable.length > 0 ? 'unscannable' : 'clean';
  return {
    verdict,
    parts,
    threats,
    unscannable,
    bytes,
    durationMs,
    ...(problems.length ? { problems } : {}),
  };
}
