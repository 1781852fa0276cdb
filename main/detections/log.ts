// Detections log: one JSON line per detection in DATA_DIR/detections.jsonl (append-only, 0600).
// A line that cannot be parsed (a crash mid-write) is skipped when reading, never fatal.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DetectionRecord } from '../events.ts';

export class DetectionsLog {
  readonly path: string;
  constructor(dataDir: string) {
    this.path = join(dataDir, 'detections.jsonl');
    if (existsSync(this.path)) chmodSync(this.path, 0o600);
  }

  /** One line, appended asynchronously (it runs in the message path); O_APPEND keeps lines whole. */
  async append(record: DetectionRecord): Promise<void> {
    await appendFile(this.path, JSON.stringify(record) + '\n', { mode: 0o600 });
  }

  /** Every record, oldest first. */
  list(): DetectionRecord[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as DetectionRecord];
        } catch {
          return [];
        }
      });
  }

  get(id: string): DetectionRecord | undefined {
    return this.list().find((r) => r.id === id);
  }
}
