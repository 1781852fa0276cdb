import { describe, expect, it } from 'vitest';
import { LineReader, LineTooLongError, MultiLineReader, stuffWithTerminator, unstuff } from './framing.ts';

const b = (s: string) => Buffer.from(s, 'latin1');

function collectAll(chunks: Buffer[]): { body?: Buffer; wire?: Buffer; rest: Buffer } {
  const r = new MultiLineReader(true);
  for (let i = 0; i < chunks.length; i++) {
    const p = r.push(chunks[i]);
    if (p.done) return { body: p.body, wire: p.wire, rest: Buffer.concat([p.rest, ...chunks.slice(i + 1)]) };
  }
  return { rest: Buffer.alloc(0) };
}

describe('POP3 framing', () => {
  const stream = b('line 1\r\n..stuffed\r\n.\xff\x00 8-bit\r\n\r\n.\r\n+OK next\r\n');
  const body = b('line 1\r\n..stuffed\r\n.\xff\x00 8-bit\r\n\r\n');

  it('finds the end of a multi-line body wherever the stream is split', () => {
    // Every single split point, and every byte on its own: terminator detection never depends on chunking.
    for (let i = 0; i <= stream.length; i++) {
      const r = collectAll([stream.subarray(0, i), stream.subarray(i)]);
      expect(r.body).toEqual(body);
      // The server's bytes up to and with the terminator, unchanged (sent on when scanning changed nothing).
      expect(r.wire?.toString('latin1')).toBe(body.toString('latin1') + '.\r\n');
      expect(r.rest.toString()).toBe('+OK next\r\n');
    }
    const bytes = [...stream].map((x) => Buffer.from([x]));
    expect(collectAll(bytes).body).toEqual(body);
  });

  it('recognises an empty body right after the status line', () => {
    const r = collectAll([b('.\r\n+OK\r\n')]);
    expect(r.body?.length).toBe(0);
    expect(r.wire?.toString()).toBe('.\r\n');
    expect(r.rest.toString()).toBe('+OK\r\n');
  });

  it('streams bytes on in stream mode and ends with the terminator', () => {
    const r = new MultiLineReader(false);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 5) {
      const p = r.push(stream.subarray(i, i + 5));
      if (p.forward) out.push(p.forward);
      if (p.done) break;
    }
    expect(Buffer.concat(out).toString('latin1')).toBe(Buffer.concat([body, b('.\r\n')]).toString('latin1'));
  });

  it('removes and restores dot-stuffing byte-exactly', () => {
    const message = b('.starts with dot\r\nplain\r\n.\r\n..two\r\n\xe9t\xe9\r\n');
    const stuffed = stuffWithTerminator(message);
    expect(stuffed.toString('latin1')).toBe(
      '..starts with dot\r\nplain\r\n..\r\n...two\r\n\xe9t\xe9\r\n.\r\n',
    );
    expect(unstuff(stuffed.subarray(0, stuffed.length - 3))).toEqual(message);
  });

  it('ends a message without a final line break on its own line before the terminator', () => {
    expect(stuffWithTerminator(b('no newline')).toString()).toBe('no newline\r\n.\r\n');
  });

  it('splits lines, keeps the remainder and refuses an endless line', () => {
    const r = new LineReader(10);
    r.push(b('USER a\r\nPA'));
    expect(r.nextLine()?.toString()).toBe('USER a\r\n');
    expect(r.nextLine()).toBeNull();
    r.push(b('SS b\r\n'));
    expect(r.nextLine()?.toString()).toBe('PASS b\r\n');
    r.push(b('x'.repeat(11)));
    expect(() => r.nextLine()).toThrow(LineTooLongError);
  });
});
