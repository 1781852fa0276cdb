// Scanned-and-cleaned messages by (server, user, mailbox, UIDVALIDITY, UID): a message's content
// never changes under one UIDVALIDITY, so chunks and parts read later are cut from the same cleaned
// copy and the message is scanned (and logged as a detection) once. Bounded in bytes, LRU, with a TTL.
import { CLEANED_CACHE_BYTES, CLEANED_CACHE_TTL_MS } from './limits.ts';

export interface CleanedMessage {
  /** The scanner changed the message; `output` is then the cleaned copy. */
  modified: boolean;
  /** Cleaning kept every size and offset (always true when not modified). */
  sizePreserved: boolean;
  /** Cleaned bytes; absent for messages passed unchanged (the server's bytes are then correct). */
  output?: Buffer;
  originalSize: number;
  verdict: string;
  /**
   * Parts the server describes as base64 (its BODYSTRUCTURE) that cleaning replaced by a plain notice:
   * read on their own (`BODY[n]`) they are sent base64-encoded, as the client will decode them.
   */
  reencodeBase64?: Set<string>;
}

interface Entry {
  value: CleanedMessage;
  bytes: number;
  at: number;
}

const ENTRY_OVERHEAD = 256;

export class CleanedCache {
  private readonly entries = new Map<string, Entry>();
  /** Scans in progress by key, shared by every session, so one message is scanned once. */
  readonly inProgress = new Map<string, Promise<CleanedMessage | undefined>>();
  private total = 0;

  constructor(
    readonly maxBytes = CLEANED_CACHE_BYTES,
    readonly ttlMs = CLEANED_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.total;
  }

  get(key: string): CleanedMessage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at > this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: CleanedMessage): void {
    this.delete(key);
    const bytes = (value.output?.length ?? 0) + ENTRY_OVERHEAD + key.length;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes, at: this.now() });
    this.total += bytes;
    for (const [k] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.delete(k);
    }
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }
}

/** One cache for every IMAP session of the process, so a client's parallel connections share it. */
export const sharedCleanedCache = new CleanedCache();

export function cacheKey(parts: {
  server: string;
  user: string;
  mailbox: string;
  uidValidity: string;
  uid: string;
}): string {
  return [parts.server, parts.user, parts.mailbox, parts.uidValidity, parts.uid].join('\0');
}
