import { describe, expect, it } from 'vitest';
import { ImapFramer, type FrameEvent } from './framer.ts';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

// A client side: pipelined commands, LITERAL+ in LOGIN (new Outlook), a zero-length literal,
// an 8-bit APPEND literal, IDLE/DONE.
const body8bit = Buffer.concat([
  Buffer.from('Subject: caf\xe9\r\n\r\n', 'latin1'),
  Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a]),
]);
const clientConversation = Buffer.concat([
  Buffer.from(crlf(['a1 CAPABILITY', 'a2 LOGIN {5+}'])),
  Buffer.from('alice {6+}\r\nsecret\r\n'),
  Buffer.from('a3 SELECT INBOX\r\na4 UID FETCH 1:* (FLAGS)\r\na5 SEARCH SUBJECT {0}\r\n\r\n'),
  Buffer.from(`a6 APPEND Drafts (\\Draft) {${body8bit.length}}\r\n`),
  body8bit,
  Buffer.from('\r\na7 IDLE\r\nDONE\r\n'),
]);

// A server side: greeting with capabilities, a FETCH with two literals (one binary, one empty), a
// continuation, tagged responses.
const serverConversation = Buffer.concat([
  Buffer.from('* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE] ready\r\n'),
  Buffer.from('* 1 FETCH (UID 7 BODY[] {12}\r\nHello\r\nWorld BODY[1] ~{4}\r\n\0\0\r\n BODY[2] {0}\r\n)\r\n'),
  Buffer.from('+ idling\r\n* 2 EXISTS\r\na1 OK done\r\n'),
]);

/** Events with adjacent literal chunks merged, so different input chunkings compare equal. */
function normalise(events: FrameEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    const last = out[out.length - 1] as { type: string; bytes?: Buffer } | undefined;
    if (e.type === 'literal' && last?.type === 'literal') last.bytes = Buffer.concat([last.bytes!, e.bytes]);
    else out.push(e.type === 'literal' ? { type: 'literal', bytes: Buffer.from(e.bytes) } : e);
  }
  return out.map((e: any) => ({ ...e, bytes: e.bytes?.toString('latin1') }));
}

function feedAll(chunks: Buffer[]): FrameEvent[] {
  const f = new ImapFramer();
  return chunks.flatMap((c) => f.feed(c));
}

function reassemble(events: FrameEvent[]): Buffer {
  return Buffer.concat(events.flatMap((e) => (e.type === 'line' || e.type === 'literal' ? [e.bytes] : [])));
}

describe('ImapFramer', () => {
  for (const [name, conversation] of [
    ['client commands', clientConversation],
    ['server responses', serverConversation],
  ] as const) {
    it(`${name}: the same events and bytes whatever the split point`, () => {
      const whole = normalise(feedAll([conversation]));
      expect(reassemble(feedAll([conversation])).equals(conversation)).toBe(true);
      for (let i = 1; i < conversation.length; i++) {
        const events = feedAll([conversation.subarray(0, i), conversation.subarray(i)]);
        expect(reassemble(events).equals(conversation), `split at ${i}`).toBe(true);
        expect(normalise(events), `split at ${i}`).toEqual(whole);
      }
    });

    it(`${name}: byte-by-byte feeding gives the same events`, () => {
      const bytes = [...conversation].map((b) => Buffer.from([b]));
      expect(normalise(feedAll(bytes))).toEqual(normalise(feedAll([conversation])));
    });
  }

  it('reports literal announcements: non-synchronising, binary and zero-length', () => {
    const lines = feedAll([serverConversation]).filter((e) => e.type === 'line');
    expect(lines.map((l) => (l.type === 'line' ? [l.start, l.literal] : null))).toEqual([
      [true, undefined],
      [true, { size: 12, nonSync: false, binary: false }],
      [false, { size: 4, nonSync: false, binary: true }],
      [false, { size: 0, nonSync: false, binary: false }],
      [false, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
    ]);
    const login = feedAll([clientConversation]).find((e) => e.type === 'line' && e.bytes.includes('LOGIN'));
    expect(login).toMatchObject({ literal: { size: 5, nonSync: true } });
  });

  it('a literal spanning many chunks arrives whole and the response continues after it', () => {
    const big = Buffer.alloc(300_000, 0x41);
    const stream = Buffer.concat([
      Buffer.from(`* 1 FETCH (BODY[] {${big.length}}\r\n`),
      big,
      Buffer.from(')\r\n'),
    ]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1000) chunks.push(stream.subarray(i, i + 1000));
    const events = feedAll(chunks);
    expect(reassemble(events).equals(stream)).toBe(true);
    expect(events.filter((e) => e.type === 'literalEnd')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'line', start: false });
  });

  it('a line longer than the bound fails with a typed error and hands back the unread bytes', () => {
    const f = new ImapFramer(100);
    const first = f.feed(Buffer.from('* OK fine\r\n* 1 FETCH ('));
    expect(first).toHaveLength(1);
    const events = f.feed(Buffer.alloc(200, 0x61));
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.type === 'error' && e.error.code).toBe('IMAP_LINE_TOO_LONG');
    expect(e.type === 'error' && e.rest.toString()).toBe('* 1 FETCH (' + 'a'.repeat(200));
  });

  it('a refused synchronising literal lets the next command be read as a command', () => {
    const f = new ImapFramer();
    f.feed(Buffer.from('a1 APPEND INBOX {500}\r\n'));
    expect(f.awaitingLiteral).toBe(true);
    expect(f.cancelLiteral()).toBe(true);
    expect(f.feed(Buffer.from('a2 NOOP\r\n'))).toEqual([
      { type: 'line', bytes: Buffer.from('a2 NOOP\r\n'), start: true },
    ]);
  });
});
