// Parsing of the signature text formats users drop into DATA_DIR/signatures (ClamAV-compatible subsets):
//   *.hsb  SHA256:Size:Name     (Size may be `*`)
//   *.hdb  MD5:Size:Name
//   *.ndb  Name:TargetType:Offset:HexSignature   (TargetType is ignored; Offset `*`, `N`, `N,M`, `EOF-N`)
// Hex signatures support `??` (any byte), `a?`/`?a` (nibbles), `*` (any bytes), `{n}`, `{n-m}`, `{-n}`, `{n-}`
// and `(aa|bbcc)` alternatives. They compile to one RegExp over the object's bytes read as latin1.
// A bad line is skipped with a warning naming file and line; it never stops the others loading.

export interface HashSignature {
  algorithm: 'sha256' | 'md5';
  hash: string;
  /** null: any size. */
  size: number | null;
  name: string;
}

export interface PatternSignature {
  name: string;
  regex: RegExp;
  /** Search window: start offsets from..to (from end when fromEnd). */
  offset: { kind: 'any' } | { kind: 'at'; from: number; to: number; fromEnd: boolean };
}

const byteClass = (b: number) => '\\x' + b.toString(16).padStart(2, '0');

function nibbleClass(hex: string): string {
  const values: number[] = [];
  for (let v = 0; v < 256; v++) {
    const h = v.toString(16).padStart(2, '0');
    if ((hex[0] === '?' || hex[0] === h[0]) && (hex[1] === '?' || hex[1] === h[1])) values.push(v);
  }
  return '[' + values.map(byteClass).join('') + ']';
}

/** `48656c6c6f??{2-4}(41|4243)*2a` → a RegExp source over latin1 text. */
export function compileHex(sig: string): string {
  const s = sig.toLowerCase();
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '*') {
      out += '[\\s\\S]*?';
      i++;
    } else if (c === '{') {
      const end = s.indexOf('}', i);
      const m = end > 0 ? /^(\d*)(-?)(\d*)$/.exec(s.slice(i + 1, end)) : null;
      if (!m || (!m[1] && !m[3])) throw new Error(`bad jump ${s.slice(i, end + 1) || s.slice(i)}`);
      out += m[2] ? `[\\s\\S]{${m[1] || 0},${m[3]}}` : `[\\s\\S]{${m[1]}}`;
      i = end + 1;
    } else if (c === '(') {
      const end = s.indexOf(')', i);
      if (end < 0) throw new Error('unclosed (');
      const alts = s.slice(i + 1, end).split('|');
      out += '(?:' + alts.map((a) => compileHex(a)).join('|') + ')';
      i = end + 1;
    } else {
      const pair = s.slice(i, i + 2);
      if (!/^[0-9a-f?]{2}$/.test(pair)) throw new Error(`bad hex at ${JSON.stringify(s.slice(i, i + 8))}`);
      out +=
        pair === '??' ? '[\\s\\S]' : pair.includes('?') ? nibbleClass(pair) : byteClass(parseInt(pair, 16));
      i += 2;
    }
  }
  return out;
}

function parseOffset(text: string): PatternSignature['offset'] {
  if (text === '*') return { kind: 'any' };
  const m = /^(EOF-)?(\d+)(?:,(\d+))?$/.exec(text);
  if (!m) throw new Error(`unsupported offset ${JSON.stringify(text)}`);
  const from = Number(m[2]);
  return { kind: 'at', from, to: from + Number(m[3] ?? 0), fromEnd: Boolean(m[1]) };
}

export interface ParsedSignatures {
  hashes: HashSignature[];
  patterns: PatternSignature[];
  warnings: string[];
}

export function parseSignatureFile(file: string, text: string): ParsedSignatures {
  const out: ParsedSignatures = { hashes: [], patterns: [], warnings: [] };
  const kind = file.toLowerCase().split('.').pop();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    try {
      const f = line.split(':');
      if (kind === 'hsb' || kind === 'hdb') {
        const algorithm = kind === 'hsb' ? 'sha256' : 'md5';
        const len = algorithm === 'sha256' ? 64 : 32;
        if (f.length < 3 || !new RegExp(`^[0-9a-fA-F]{${len}}$`).test(f[0]))
          throw new Error(`expected ${algorithm.toUpperCase()}:Size:Name`);
        if (f[1] !== '*' && !/^\d+$/.test(f[1])) throw new Error('size is a number or *');
        out.hashes.push({
          algorithm,
          hash: f[0].toLowerCase(),
          size: f[1] === '*' ? null : Number(f[1]),
          name: f[2],
        });
      } else if (kind === 'ndb') {
        if (f.length < 4 || !f[0]) throw new Error('expected Name:TargetType:Offset:HexSignature');
        out.patterns.push({
          name: f[0],
          offset: parseOffset(f[2]),
          regex: new RegExp(compileHex(f[3]), 'y'),
        });
      }
    } catch (err) {
      out.warnings.push(`${file}:${index + 1}: ${(err as Error).message}; line skipped`);
    }
  });
  return out;
}

/** Whether the pattern matches `text` (the object's bytes as latin1) within its offset window. */
export function patternMatches(sig: PatternSignature, text: string): boolean {
  const re = sig.regex;
  // Anywhere: a non-sticky copy lets the regex engine search for candidates itself.
  if (sig.offset.kind === 'any') return unsticky(re).test(text);
  const { from, to, fromEnd } = sig.offset;
  const first = fromEnd ? text.length - to : from;
  const last = fromEnd ? text.length - from : to;
  for (let at = Math.max(0, first); at <= Math.min(last, text.length); at++) {
    re.lastIndex = at;
    if (re.test(text)) return true;
  }
  return false;
}

const unstickyCache = new WeakMap<RegExp, RegExp>();
function unsticky(re: RegExp): RegExp {
  let u = unstickyCache.get(re);
  if (!u) unstickyCache.set(re, (u = new RegExp(re.source)));
  return u;
}
