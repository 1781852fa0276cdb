import { describe, expect, it } from 'vitest';
import { saslUser } from '../sasl.ts';
import { firstAstring, parseCommandLine, requestedPartials } from './command.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('IMAP command observation', () => {
  it('reads tag and name, UID commands included', () => {
    expect(parseCommandLine('a1 uid fetch 1:* (FLAGS)')).toMatchObject({ tag: 'a1', name: 'UID FETCH' });
    expect(parseCommandLine('DONE')).toBeUndefined();
  });

  it('reads atom, quoted and literal first arguments', () => {
    expect(firstAstring('INBOX (CONDSTORE)')).toEqual({ kind: 'atom', value: 'INBOX' });
    expect(firstAstring('"My \\"Box\\"" x')).toEqual({ kind: 'quoted', value: 'My "Box"' });
    expect(firstAstring('{5+}')).toEqual({ kind: 'literal' });
  });

  it('finds the user in the first SASL response of every common mechanism', () => {
    expect(saslUser('PLAIN', b64('\0alice\0pw'))).toBe('alice');
    expect(saslUser('LOGIN', b64('alice'))).toBe('alice');
    expect(saslUser('CRAM-MD5', b64('alice 0123456789abcdef'))).toBe('alice');
    expect(saslUser('DIGEST-MD5', b64('username="alice",realm="x"'))).toBe('alice');
    expect(saslUser('XOAUTH2', b64('user=alice@example.com\x01auth=Bearer t\x01\x01'))).toBe(
      'alice@example.com',
    );
  });

  it('remembers the length of every requested range', () => {
    const cmd = parseCommandLine('a1 UID FETCH 5 (BODY.PEEK[]<0.65536> BINARY.PEEK[2]<10.20>)')!;
    expect(requestedPartials(cmd)).toEqual([
      { key: 'BODY[]<0>', length: 65536 },
      { key: 'BINARY[2]<10>', length: 20 },
    ]);
  });
});
