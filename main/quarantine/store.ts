// Quarantine: originals of altered messages, kept 0600 in DATA_DIR/quarantine with metadata.
// STUB: to be completed by the scanner/actions work (issue 2).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

export interface QuarantineMeta {
  id: string;
  time: string;
  threats: string[];
  protocol: string;
  server: string;
  from?: string;
  subject?: string;
  size: number;
  sha256: string;
}

export class Quarantine {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'quarantine');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }
  put(raw: Buffer, meta: Omit<QuarantineMeta, 'id'>): string {
    const id = randomUUID();
    writeFileSync(join(this.dir, `${id}.eml`), raw, { mode: 0o600 });
    writeFileSync(join(this.dir, `${id}.json`), JSON.stringify({ id, ...meta }, null, 2), { mode: 0o600 });
    return id;
  }
  original(id: string): Buffer {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`No quarantine item ${id}`);
    return readFileSync(join(this.dir, `${id}.eml`));
  }
}
