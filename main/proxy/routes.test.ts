import { describe, expect, it } from 'vitest';
import { listeningLine, parseRoute } from './routes.ts';

describe('routes', () => {
  it('reads LISTEN=UPSTREAM with default host and standard ports', () => {
    expect(parseRoute('2995=pop3s://mail.example.com')).toMatchObject({
      scheme: 'pop3s',
      listenHost: '127.0.0.1',
      listenPort: 2995,
      upstreamHost: 'mail.example.com',
      upstreamPort: 995,
      implicitTls: true,
    });
    expect(parseRoute('0.0.0.0:1110=pop3://10.0.0.5:110')).toMatchObject({
      listenHost: '0.0.0.0',
      implicitTls: false,
    });
    expect(parseRoute('[::1]:1143=imap://[2001:db8::1]:143')).toMatchObject({
      listenHost: '::1',
      upstreamHost: '2001:db8::1',
      upstreamPort: 143,
    });
    expect(parseRoute({ listen: '1993', upstream: 'IMAPS://Mail.example.com:993/' }).scheme).toBe('imaps');
  });

  it('prints the listening line users and scripts read', () => {
    expect(listeningLine(parseRoute('2995=pop3s://mail.example.com:995'), 2995)).toBe(
      'listening pop3s 127.0.0.1:2995 -> pop3s://mail.example.com:995',
    );
    expect(listeningLine(parseRoute('0=pop3://mail.example.com'), 40111)).toBe(
      'listening pop3 127.0.0.1:40111 -> pop3://mail.example.com:110',
    );
  });

  it('says what is wrong with a bad route', () => {
    expect(() => parseRoute('2995')).toThrow('is not LISTEN=UPSTREAM');
    expect(() => parseRoute('2995=http://x')).toThrow('is not pop3|pop3s|imap|imaps://HOST[:PORT]');
    expect(() => parseRoute('70000=pop3://x')).toThrow('out of range');
    expect(() => parseRoute('1=pop3://x:0')).toThrow('out of range');
  });
});
