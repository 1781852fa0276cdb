// The signature set of the built-in backend, loaded from DATA_DIR/signatures and reloaded when a file
// there is added, changed or removed (checked at most every few seconds), so dropping a file in works
// without a restart.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseSignatureFile,
  patternMatches,
  type HashSignature,
  type PatternSignature,
} from './signature-format.ts';

const RECHECK_MS = 3000;
const EXTENSIONS = /\.(hsb|hdb|ndb)$/i;

export class SignatureStore {
  private sha256 = new Map<string, HashSignature[]>();
  private md5 = new Map<string, HashSignature[]>();
  private sizes = { sha256: new Set<number | null>(), md5: new Set<number | null>() };
  private patterns: PatternSignature[] = [];
  private stamp = '';
  private checkedAt = 0;
  /** Problems from the last load (bad lines, unreadable files), for the log. */
  warnings: string[] = [];
  count = 0;

  constructor(
    readonly dir: string,
    private readonly onWarning: (msg: string) => void = () => {},
  ) {
    this.refresh(true);
  }

  /** Reload if the directory's files changed since the last look. */
  refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    let files: string[] = [];
    try {
      files = readdirSync(this.dir)
        .filter((f) => EXTENSIONS.test(f))
        .sort();
    } catch {
      files = []; // no signatures directory: only the built-in EICAR and heuristics
    }
    const stamp = files
      .map((f) => {
        try {
          const st = statSync(join(this.dir, f));
          return `${f}:${st.size}:${st.mtimeMs}`;
        } catch {
          return f;
        }
      })
      .join('|');
    if (!force && stamp === this.stamp) return;
    this.stamp = stamp;
    this.load(files);
  }

  private load(files: string[]): void {
    const hashes: HashSignature[] = [];
    const patterns: PatternSignature[] = [];
    const warnings: string[] = [];
    for (const f of files) {
      try {
        const parsed = parseSignatureFile(f, readFileSync(join(this.dir, f), 'utf8'));
        hashes.push(...parsed.hashes);
        patterns.push(...parsed.patterns);
        warnings.push(...parsed.warnings);
      } catch (err) {
        warnings.push(`${f}: ${(err as Error).message}`);
      }
    }
    this.sha256 = new Map();
    this.md5 = new Map();
    this.sizes = { sha256: new Set(), md5: new Set() };
    for (const h of hashes) {
      const map = h.algorithm === 'sha256' ? this.sha256 : this.md5;
      map.set(h.hash, [...(map.get(h.hash) ?? []), h]);
      this.sizes[h.algorithm].add(h.size);
    }
    this.patterns = patterns;
    this.count = hashes.length + patterns.length;
    this.warnings = warnings;
    for (const w of warnings) this.onWarning(w);
  }

  /** The name of the first signature matching `data`, if any. Hashes are computed only when a size fits. */
  match(data: Buffer): string | undefined {
    for (const algorithm of ['sha256', 'md5'] as const) {
      const sizes = this.sizes[algorithm];
      if (!sizes.has(data.length) && !sizes.has(null)) continue;
      const hash = createHash(algorithm).update(data).digest('hex');
      const hit = (algorithm === 'sha256' ? this.sha256 : this.md5)
        .get(hash)
        ?.find((h) => h.size === null || h.size === data.length);
      if (hit) return hit.name;
    }
    if (this.patterns.length === 0) return undefined;
    const text = data.toString('latin1');
    return this.patterns.find((p) => patternMatches(p, text))?.name;
  }
}
