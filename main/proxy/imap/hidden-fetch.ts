// Whole-message fetches the proxy sends upstream on the client's connection, under proxy-private
// tags, to scan a message the client reads in ranges or parts. Their responses never reach the client.
// Safety rules (the layer enforces the first two):
//  - sent only between client commands, and no client command is forwarded while one is outstanding,
//    so the responses are not mixed with those of later client commands;
//  - commands that change the selected mailbox are held while a client FETCH is in flight, so the hidden
//    fetch runs in the mailbox the client's FETCH ran in;
//  - a response is claimed only once every client command sent before the hidden fetch has completed,
//    and only when it is the whole message of the requested UID (or sequence number);
//  - a fetch by sequence number is void if an EXPUNGE arrived meanwhile (numbers moved).
import { randomBytes } from 'node:crypto';
import type { ImapResponse } from './assembler.ts';
import { contentItem, type FetchResponse } from './fetch-response.ts';

export type WholeTarget = { uid: string } | { seq: number };
export interface WholeMessage {
  raw: Buffer;
  uid?: string;
}

interface Pending {
  tag: string;
  target: WholeTarget;
  line: string;
  sent: boolean;
  /** Client commands in flight when this was sent: their responses come first. */
  waitFor: Set<string>;
  result?: WholeMessage;
  void?: boolean;
  resolve: (m: WholeMessage | undefined) => void;
}

export class HiddenFetches {
  private readonly prefix = `MW${randomBytes(3).toString('hex')}`;
  private counter = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly send: (line: Buffer) => void,
    private readonly clientTagsInFlight: () => Iterable<string>,
  ) {}

  /** Whether a hidden fetch is queued or outstanding (client commands wait meanwhile). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  isOurs(tag: string): boolean {
    return this.pending.has(tag);
  }

  /** Queues a whole fetch; `sendQueued` sends it at the next client command boundary. */
  request(target: WholeTarget): Promise<WholeMessage | undefined> {
    const tag = `${this.prefix}${++this.counter}`;
    const line =
      'uid' in target
        ? `${tag} UID FETCH ${target.uid} (BODY.PEEK[])\r\n`
        : `${tag} FETCH ${target.seq} (UID BODY.PEEK[])\r\n`;
    return new Promise((resolve) => {
      this.pending.set(tag, { tag, target, line, sent: false, waitFor: new Set(), resolve });
    });
  }

  /** Sends what is queued; the caller knows no client command is half-sent. */
  sendQueued(): void {
    for (const p of this.pending.values()) {
      if (p.sent) continue;
      p.sent = true;
      p.waitFor = new Set(this.clientTagsInFlight());
      this.send(Buffer.from(p.line, 'latin1'));
    }
  }

  /** A client command completed (its tagged response arrived). */
  clientCompleted(tag: string): void {
    for (const p of this.pending.values()) p.waitFor.delete(tag);
  }

  /** Takes an untagged FETCH response if it answers one of our fetches. */
  claim(response: ImapResponse, fetch: FetchResponse): boolean {
    // Every FETCH response passes here (a mailbox listing brings thousands): nothing to match, no work.
    if (!this.busy) return false;
    const uid = fetch.items.find((i) => i.name.toUpperCase() === 'UID')?.atom;
    const full = fetch.items.find((i) => contentItem(i.name)?.kind === 'full' && i.literal);
    if (!full?.literal) return false;
    for (const p of this.pending.values()) {
      if (!p.sent || p.result || p.waitFor.size > 0) continue;
      const matches = 'uid' in p.target ? uid === p.target.uid : fetch.seq === p.target.seq;
      if (!matches) continue;
      const l = full.literal;
      p.result = { raw: response.raw.subarray(l.dataStart, l.dataStart + l.length), uid };
      return true;
    }
    return false;
  }

  /** Our tagged response: the fetch is over (found, or the message is gone). */
  complete(tag: string): void {
    const p = this.pending.get(tag);
    if (!p) return;
    this.pending.delete(tag);
    p.resolve(p.void ? undefined : p.result);
  }

  /** Sequence numbers moved: fetches by number may now name another message. */
  expunged(): void {
    for (const p of this.pending.values()) if ('seq' in p.target && !p.result) p.void = true;
  }

  /** The connection is gone: nothing more will arrive. */
  failAll(): void {
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
  }
}
