// Quarantine: originals of altered messages in DATA_DIR/quarantine, private to the user (directory 0700,
// files 0600): `<id>.eml` holds the exact bytes received, `<id>.json` the metadata below.
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';

export interface QuarantineMeta {
  id: string;
  time: string;
  threats: string[];
  /** Why it was kept: a detection, or parts that could not be scanned and were removed. */
  reason?: 'infected' | 'unscannable';
  /** Parts removed from the delivered copy: part number, file name, what was found. */
  parts?: { part: string; filename?: string; threat: string }[];
  protocol: string;
  server: string;
  user?: string;
  mailbox?: string;
  messageId?: string;
  from?: string;
  subject?: string;
  size: number;
  sha256: string;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class Quarantine {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'quarantine');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  /**
   * Keep the original; `size` and `sha256` are computed here when not given. Written asynchronously: it
   * runs in the message path, and a large original written synchronously would stall every connection.
   */
  async put(
    raw: Buffer,
    meta: Omit<QuarantineMeta, 'id' | 'size' | 'sha256'> & Partial<QuarantineMeta>,
  ): Promise<string> {
    const id = randomUUID();
    const full: QuarantineMeta = {
      ...meta,
      id,
      size: raw.length,
      sha256: meta.sha256 ?? createHash('sha256').update(raw).digest('hex'),
    };
    // The original first: metadata without its .eml would list an item that cannot be opened.
    await writeFile(join(this.dir, `${id}.eml`), raw, { mode: 0o600 });
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify(full, null, 2) + '\n', { mode: 0o600 });
    return id;
  }

  original(id: string): Buffer {
    if (!ID.test(id)) throw new Error(`No quarantine item ${id}`);
    return readFileSync(join(this.dir, `${id}.eml`));
  }

  meta(id: string): QuarantineMeta {
    if (!ID.test(id)) throw new Error(`No quarantine item ${id}`);
    return JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as QuarantineMeta;
  }

  /** Every item's metadata, newest first; unreadable metadata files are skipped. */
  list(): QuarantineMeta[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          return [this.meta(f.slice(0, -5))];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.time.localeCompare(a.time));
  }
}
