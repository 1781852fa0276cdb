// The content decision for one FETCH response: which values carry message content, where the
// scanned-and-cleaned whole message comes from (the response itself, the cache, or one hidden
// full fetch upstream), and the response rewritten from the cleaned copy — every other byte unchanged.
import type { ImapResponse } from './assembler.ts';
import { partialKey } from './command.ts';
import { cacheKey, sharedCleanedCache, type CleanedCache, type CleanedMessage } from './cleaned-cache.ts';
import { contentItem, type ContentItem, type FetchItem, type FetchResponse } from './fetch-response.ts';
import { REMEMBERED_PARTIALS } from './limits.ts';
import { base64Padded, extractSection, partEncodings } from './mime-section.ts';
import type { ProcessedMessage } from '../../pipeline/types.ts';

/** Where the session stands when a response arrives (kept by the layer). */
export interface MailboxView {
  server: string;
  /** Logged-in user; sessions with an unknown user never share cache entries. */
  user: string;
  mailbox?: string;
  uidValidity?: string;
}

export interface RewriterDeps {
  view(): MailboxView;
  /** Scan and clean one whole message (the engine pipeline, with preserveSize). */
  clean(raw: Buffer, info: { uid?: string; mailbox?: string }): Promise<ProcessedMessage>;
  /** Fetch one whole message upstream on this connection, hidden from the client. */
  fetchWhole(target: { uid: string } | { seq: number }): Promise<{ raw: Buffer; uid?: string } | undefined>;
  log(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>): void;
  cache?: CleanedCache;
}

interface Classified {
  item: FetchItem;
  content: ContentItem;
}

export class FetchRewriter {
  private readonly cache: CleanedCache;
  /** The last message this session used, kept even when the shared cache cannot hold it. */
  private pinned?: { key: string; value: CleanedMessage };
  private readonly partials = new Map<string, number>();
  /**
   * The last section cut from a cleaned copy. A client reading one part in ranges asks for the same
   * section again per range; cutting it (and re-encoding a removed base64 part, as large as the part)
   * once per range made every range cost the whole part.
   */
  private lastSection?: { cleaned: CleanedMessage; key: string; data: Buffer | undefined };

  constructor(private readonly deps: RewriterDeps) {
    this.cache = deps.cache ?? sharedCleanedCache;
  }

  /** Remembers `<offset.length>` ranges the client asked for (the response only echoes the offset). */
  rememberPartial(key: string, length: number): void {
    this.partials.delete(key);
    this.partials.set(key, length);
    if (this.partials.size > REMEMBERED_PARTIALS) this.partials.delete(this.partials.keys().next().value!);
  }

  /** The response for the client: unchanged bytes, or a promise of the rewritten ones. */
  rewrite(response: ImapResponse, fetch: FetchResponse): Buffer | Promise<Buffer> {
    const classified: Classified[] = [];
    for (const item of fetch.items) {
      const content = contentItem(item.name);
      if (content) classified.push({ item, content });
    }
    const uid = fetch.items.find((i) => i.name.toUpperCase() === 'UID')?.atom;
    const key = uid ? this.keyFor(uid) : undefined;
    const known = key ? this.lookup(key) : undefined;
    const needsScan = classified.some((c) => c.content.kind !== 'header');
    if (!needsScan) {
      // Headers and sizes: answered from a cleaned copy when one is known, else passed on as sent.
      return known?.modified ? this.compose(response, fetch, classified, known) : response.raw;
    }
    if (known) return this.compose(response, fetch, classified, known);
    return this.resolve(response, fetch, classified, uid, key).then((cleaned) =>
      this.compose(response, fetch, classified, cleaned),
    );
  }

  private keyFor(uid: string): string | undefined {
    const v = this.deps.view();
    if (v.mailbox === undefined || v.uidValidity === undefined) return undefined;
    return cacheKey({ server: v.server, user: v.user, mailbox: v.mailbox, uidValidity: v.uidValidity, uid });
  }

  private lookup(key: string): CleanedMessage | undefined {
    if (this.pinned?.key === key) return this.pinned.value;
    return this.cache.get(key);
  }

  private store(key: string | undefined, value: CleanedMessage): void {
    if (!key) return;
    this.cache.set(key, value);
    this.pinned = { key, value };
  }

  /** The cleaned whole message, from this response's full literal or a hidden whole fetch. */
  private async resolve(
    response: ImapResponse,
    fetch: FetchResponse,
    classified: Classified[],
    uid: string | undefined,
    key: string | undefined,
  ): Promise<CleanedMessage | undefined> {
    if (key) {
      const running = this.cache.inProgress.get(key);
      // Another session is scanning it: use its result. Fetching it again here later could run in
      // another mailbox (the client may have moved on), so a failure there is a failure here.
      if (running) return running.catch(() => undefined);
    }
    const full = classified.find((c) => c.item.literal && this.isWholeMessage(c));
    const work = (async (): Promise<CleanedMessage | undefined> => {
      let raw: Buffer;
      let realUid = uid;
      if (full?.item.literal) {
        const l = full.item.literal;
        raw = response.raw.subarray(l.dataStart, l.dataStart + l.length);
      } else {
        const whole = await this.deps.fetchWhole(uid ? { uid } : { seq: fetch.seq });
        if (!whole) {
          this.deps.log('warn', 'imap.fetch.whole-unavailable', { uid, seq: fetch.seq });
          return undefined;
        }
        raw = whole.raw;
        realUid = whole.uid ?? uid;
      }
      const result = await this.deps.clean(raw, { uid: realUid, mailbox: this.deps.view().mailbox });
      const sizePreserved = result.sizePreserved && result.output.length === raw.length;
      const cleaned: CleanedMessage = {
        modified: result.modified,
        sizePreserved: !result.modified || sizePreserved,
        output: result.modified ? result.output : undefined,
        originalSize: raw.length,
        verdict: result.scan.verdict,
        reencodeBase64: result.modified ? changedFromBase64(raw, result.output) : undefined,
      };
      this.store(key ?? (realUid ? this.keyFor(realUid) : undefined), cleaned);
      if (result.modified) {
        this.deps.log('info', 'imap.fetch.cleaned', {
          uid: realUid,
          mailbox: this.deps.view().mailbox,
          verdict: result.scan.verdict,
          threats: result.scan.threats,
          sizePreserved: cleaned.sizePreserved,
        });
      }
      return cleaned;
    })();
    if (key) {
      this.cache.inProgress.set(key, work);
      void work
        .finally(() => this.cache.inProgress.get(key) === work && this.cache.inProgress.delete(key))
        .catch(() => {});
    }
    try {
      return await work;
    } catch (err) {
      this.deps.log('error', 'imap.fetch.scan-failed', { uid, error: String(err) });
      return undefined;
    }
  }

  /**
   * Whether an item's literal is the whole message: `BODY[]`, or a first range `BODY[]<0>` shorter than
   * the length asked for (a small message read with Thunderbird's chunk size needs no second fetch).
   */
  private isWholeMessage({ item, content }: Classified): boolean {
    if (content.kind === 'full') return true;
    if (content.family !== 'BODY' || content.section !== '' || content.origin !== 0 || !item.literal)
      return false;
    const asked = this.partials.get(partialKey('BODY', '', 0));
    return asked !== undefined && item.literal.length < asked;
  }

  /**
   * Rewrites content values from `cleaned`. Unknown (`undefined`) means the whole message could not be
   * had or scanned: content values become NIL so nothing unscanned reaches the client.
   */
  private compose(
    response: ImapResponse,
    fetch: FetchResponse,
    classified: Classified[],
    cleaned: CleanedMessage | undefined,
  ): Buffer {
    const edits: { start: number; end: number; data: Buffer }[] = [];
    for (const { item, content } of classified) {
      if (cleaned && !cleaned.modified) continue;
      if (!cleaned) {
        if (content.kind !== 'header') edits.push({ start: item.valueStart, end: item.valueEnd, data: NIL });
        continue;
      }
      edits.push({ start: item.valueStart, end: item.valueEnd, data: this.value(item, content, cleaned) });
    }
    if (cleaned?.modified && !cleaned.sizePreserved && cleaned.output) {
      const size = fetch.items.find((i) => i.name.toUpperCase() === 'RFC822.SIZE');
      if (size)
        edits.push({
          start: size.valueStart,
          end: size.valueEnd,
          data: Buffer.from(String(cleaned.output.length)),
        });
    }
    if (edits.length === 0) return response.raw;
    edits.sort((a, b) => a.start - b.start);
    const pieces: Buffer[] = [];
    let pos = 0;
    for (const e of edits) {
      pieces.push(response.raw.subarray(pos, e.start), e.data);
      pos = e.end;
    }
    pieces.push(response.raw.subarray(pos));
    return Buffer.concat(pieces);
  }

  /** The new value of one content item, as a literal cut from the cleaned message. */
  private value(item: FetchItem, content: ContentItem, cleaned: CleanedMessage): Buffer {
    const section = this.section(content, cleaned);
    if (!section) return NIL;
    let data = section;
    if (content.origin !== undefined) {
      const asked = this.partials.get(partialKey(content.family, content.section, content.origin));
      const length = asked ?? item.literal?.length ?? section.length;
      data = section.subarray(Math.min(content.origin, section.length), content.origin + length);
    }
    const marker = item.literal?.binary ? '~{' : '{';
    return Buffer.concat([Buffer.from(`${marker}${data.length}}\r\n`), data]);
  }

  /** `family[section]` of the cleaned message as the server would send it whole; undefined: no such part. */
  private section(content: ContentItem, cleaned: CleanedMessage): Buffer | undefined {
    const key = `${content.family}[${content.section}]`;
    const last = this.lastSection;
    if (last?.cleaned === cleaned && last.key === key) return last.data;
    let data = extractSection(cleaned.output!, content.section, content.family);
    if (data && content.family === 'BODY' && cleaned.reencodeBase64?.has(content.section)) {
      const notice = extractSection(cleaned.output!, content.section, 'BINARY') ?? data;
      data = base64Padded(Buffer.from(notice.toString('latin1').trimEnd(), 'latin1'), data.length);
    }
    this.lastSection = { cleaned, key, data };
    return data;
  }
}

const NIL = Buffer.from('NIL');

/** Sections that were base64 in the original and are not in the cleaned message (replaced by a notice). */
function changedFromBase64(original: Buffer, cleaned: Buffer): Set<string> | undefined {
  const before = partEncodings(original);
  const after = partEncodings(cleaned);
  const changed = [...before].filter(([section, cte]) => cte === 'base64' && after.get(section) !== 'base64');
  return changed.length ? new Set(changed.map(([section]) => section)) : undefined;
}
