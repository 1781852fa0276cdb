import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings/index.ts';
import type { ProcessMessage } from '../../pipeline/types.ts';
import { Pop3Layer } from './layer.ts';
import { cleanResult, Playbook, type PlaybookOptions } from './playbook.ts';

const pop3 = (opts?: PlaybookOptions) => new Playbook((ctx) => new Pop3Layer(ctx), opts);
const GREETING = '+OK Dovecot ready. <1.2@mail>\r\n';
const MESSAGE = 'Subject: hi\r\n\r\n.hidden\r\nbody \xe9\xff\r\n';
const STUFFED = 'Subject: hi\r\n\r\n..hidden\r\nbody \xe9\xff\r\n.\r\n';

/** A pipeline stand-in that replaces every message whose text contains EVIL. */
const replaceEvil: ProcessMessage = async (raw) => {
  if (!raw.includes('EVIL')) return cleanResult(raw);
  return { ...cleanResult(Buffer.from('Subject: [detection Test]\r\n\r\n.removed\r\n')), modified: true };
};

describe('POP3 layer', () => {
  it('relays the greeting and login commands byte for byte', () => {
    const p = pop3().server(GREETING).client('USER alice\r\n').server('+OK\r\n').client('PASS s3cret\r\n');
    expect(p.toClient().toString()).toBe(GREETING + '+OK\r\n');
    expect(p.toServer().toString()).toBe('USER alice\r\nPASS s3cret\r\n');
  });

  it('removes SCRAM-*-PLUS from CAPA and keeps PIPELINING and STLS', () => {
    const p = pop3().server(GREETING).client('CAPA\r\n');
    p.server(
      '+OK\r\nCAPA\r\nTOP\r\nPIPELINING\r\nSTLS\r\nSASL PLAIN SCRAM-SHA-256-PLUS SCRAM-SHA-256\r\n.\r\n',
    );
    expect(p.toClient().toString()).toBe(
      GREETING + '+OK\r\nCAPA\r\nTOP\r\nPIPELINING\r\nSTLS\r\nSASL PLAIN SCRAM-SHA-256\r\n.\r\n',
    );
  });

  it('holds a RETR answer until it is complete, scans the unstuffed message and re-stuffs it', async () => {
    const p = pop3()
      .server(GREETING)
      .client('RETR 1\r\n')
      .server('+OK 40 octets\r\n' + STUFFED.slice(0, 20));
    expect(p.toClient().toString()).toBe(GREETING); // nothing of the message yet
    p.server(STUFFED.slice(20));
    await p.settle();
    expect(p.scanned[0].toString('latin1')).toBe(MESSAGE);
    expect(p.toClient().toString('latin1')).toBe(GREETING + '+OK 40 octets\r\n' + STUFFED);
  });

  it('delivers the cleaned message instead of an infected one', async () => {
    const p = pop3({ processMessage: replaceEvil }).server(GREETING).client('RETR 2\r\n');
    p.server('+OK\r\nSubject: x\r\n\r\nEVIL\r\n.\r\n');
    await p.settle();
    expect(p.toClient().toString()).toBe(
      GREETING + '+OK\r\nSubject: [detection Test]\r\n\r\n..removed\r\n.\r\n',
    );
    expect(p.toClient().includes('EVIL')).toBe(false);
  });

  it("scans fetchmail's TOP n 99999999 like a RETR", async () => {
    const p = pop3({ processMessage: replaceEvil }).server(GREETING).client('TOP 1 99999999\r\n');
    p.server('+OK\r\nSubject: x\r\n\r\nEVIL\r\n.\r\n');
    await p.settle();
    expect(p.scanned).toHaveLength(1);
    expect(p.toClient().includes('EVIL')).toBe(false);
  });

  it('answers pipelined commands in order while a message is being scanned', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: ProcessMessage = async (raw) => {
      await gate;
      return cleanResult(raw);
    };
    const p = pop3({ processMessage: slow }).server(GREETING).client('RETR 1\r\nNOOP\r\nRETR 2\r\n');
    p.server('+OK\r\none\r\n.\r\n+OK noop\r\n+OK\r\ntwo\r\n.\r\n');
    await p.settle();
    expect(p.toClient().toString()).toBe(GREETING);
    release();
    await p.settle();
    expect(p.toClient().toString()).toBe(GREETING + '+OK\r\none\r\n.\r\n+OK noop\r\n+OK\r\ntwo\r\n.\r\n');
  });

  it('gives the same output however the server stream is split', async () => {
    const conversation = '+OK\r\n1 10\r\n2 20\r\n.\r\n+OK\r\n' + STUFFED + '+OK bye\r\n';
    const expected = GREETING + conversation;
    for (let i = 0; i <= conversation.length; i++) {
      const p = pop3().server(GREETING).client('LIST\r\nRETR 1\r\nQUIT\r\n');
      p.server(conversation.slice(0, i));
      await p.settle();
      p.server(conversation.slice(i));
      await p.settle();
      expect(p.toClient().toString('latin1'), `split at ${i}`).toBe(expected);
    }
  });

  it('passes LIST with an empty mailbox', () => {
    const p = pop3().server(GREETING).client('LIST\r\n').server('+OK 0 messages\r\n.\r\n');
    expect(p.toClient().toString()).toBe(GREETING + '+OK 0 messages\r\n.\r\n');
  });

  it('passes SASL continuation lines through without taking them for commands', () => {
    const p = pop3().server(GREETING).client('AUTH PLAIN\r\n').server('+ \r\n');
    p.client('AGFsaWNlAHMzY3JldA==\r\n').server('+OK logged in\r\n').client('STAT\r\n').server('+OK 1 5\r\n');
    expect(p.toClient().toString()).toBe(GREETING + '+ \r\n+OK logged in\r\n+OK 1 5\r\n');
    expect(p.toServer().toString()).toBe('AUTH PLAIN\r\nAGFsaWNlAHMzY3JldA==\r\nSTAT\r\n');
  });

  it('does STLS upstream first, then with the client', () => {
    const p = pop3().server(GREETING).client('STLS\r\n').server('+OK Begin TLS\r\n');
    expect(p.actions()).toEqual(['upgradeServerTls']);
    expect(p.toClient().toString()).toBe(GREETING); // the client's +OK waits for the server handshake
    p.layer.onServerTlsReady();
    expect(p.toClient().toString()).toBe(GREETING + '+OK Begin TLS\r\n');
    expect(p.actions()).toEqual(['upgradeServerTls', 'upgradeClientTls']);
  });

  it('tells the client why the server certificate was refused and closes', () => {
    const p = pop3().server(GREETING).client('STLS\r\n').server('+OK\r\n');
    p.layer.onServerTlsFailed("the server's certificate for mail.example.com is self-signed and not trusted");
    expect(p.toClient().toString()).toContain(
      "-ERR Mailward refused the connection: the server's certificate for mail.example.com is self-signed",
    );
    expect(p.actions()).toContain('close');
  });

  it('never passes half a message as complete when the server drops mid-message', () => {
    const p = pop3().server(GREETING).client('RETR 3\r\n').server('+OK\r\nSubject: half\r\n\r\npart');
    p.layer.onServerClosed();
    const out = p.toClient().toString();
    expect(out).toBe(
      GREETING +
        '-ERR the connection to the mail server was lost while receiving message 3; nothing was delivered\r\n',
    );
    expect(p.actions()).toEqual(['close']);
  });

  it('passes a server that does not speak POP3 through unfiltered, with a log event', () => {
    const p = pop3().server('HTTP/1.1 400 Bad Request\r\n\r\n');
    expect(p.toClient().toString()).toBe('HTTP/1.1 400 Bad Request\r\n\r\n');
    expect(p.actions()).toEqual(['relay']);
    expect(p.logs()[0]).toMatch(/not POP3/);
    p.client('anything\r\n');
    expect(p.toServer().toString()).toBe('anything\r\n');
  });

  it('streams a message over the size limit unscanned, tagged at the top', () => {
    const settings = defaultSettings();
    settings.scanner.limits.maxMessageSize = 1024;
    const p = pop3({ settings }).server(GREETING).client('RETR 1\r\n');
    const big = 'Subject: big\r\n\r\n' + 'x'.repeat(100) + '\r\n';
    p.server('+OK\r\n');
    for (let i = 0; i < 15; i++) p.server(big);
    p.server('.\r\n');
    const out = p.toClient().toString();
    expect(p.scanned).toHaveLength(0);
    expect(
      out.startsWith(GREETING + '+OK\r\nX-Mailward-Scan: unscannable; reason="message larger than'),
    ).toBe(true);
    expect(out.endsWith(big + '.\r\n')).toBe(true);
  });

  it('answers -ERR and keeps the message on the server when scanning fails', async () => {
    const broken: ProcessMessage = async () => {
      throw new Error('scanner unavailable');
    };
    const p = pop3({ processMessage: broken }).server(GREETING).client('RETR 1\r\n');
    p.server('+OK\r\nSubject: x\r\n\r\nhello\r\n.\r\n');
    await p.settle();
    expect(p.toClient().toString()).toBe(
      GREETING + '-ERR Mailward could not scan message 1 (scanner unavailable); it stays on the server\r\n',
    );
  });

  it('relays messages unscanned when filtering is off for the session', () => {
    const p = pop3({ filtering: false }).server(GREETING).client('RETR 1\r\n');
    p.server('+OK\r\nSubject: x\r\n\r\nEVIL\r\n.\r\n');
    expect(p.scanned).toHaveLength(0);
    expect(p.toClient().toString()).toBe(GREETING + '+OK\r\nSubject: x\r\n\r\nEVIL\r\n.\r\n');
  });

  it('refuses an endless command line with -ERR', () => {
    const p = pop3()
      .server(GREETING)
      .client('NOOP ' + 'x'.repeat(70_000));
    expect(p.toClient().toString()).toMatch(/-ERR command line too long/);
    expect(p.actions()).toEqual(['close']);
  });
});

describe('POP3 layer: who is fetching (for the detections log)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const userOf = async (p: Playbook) => {
    const seen: (string | undefined)[] = [];
    p.ctx.processMessage = async (raw, mctx) => {
      seen.push(mctx.user);
      return cleanResult(raw);
    };
    p.client('RETR 1\r\n').server('+OK\r\nSubject: x\r\n\r\nhi\r\n.\r\n');
    await p.settle();
    return seen[0];
  };

  it.each([
    ['USER/PASS', ['USER alice\r\n', 'PASS pw\r\n'], ['+OK\r\n', '+OK\r\n']],
    ['APOP', ['APOP alice 0123456789abcdef0123456789abcdef\r\n'], ['+OK\r\n']],
    ['AUTH PLAIN with initial response', [`AUTH PLAIN ${b64('\0alice\0pw')}\r\n`], ['+OK\r\n']],
    ['AUTH PLAIN after a challenge', ['AUTH PLAIN\r\n', `${b64('\0alice\0pw')}\r\n`], ['+ \r\n', '+OK\r\n']],
    [
      'AUTH LOGIN',
      ['AUTH LOGIN\r\n', `${b64('alice')}\r\n`, `${b64('pw')}\r\n`],
      ['+ VXNlcm5hbWU6\r\n', '+ UGFzc3dvcmQ6\r\n', '+OK\r\n'],
    ],
  ])('%s', async (_label, clientLines, serverLines) => {
    const p = pop3().server(GREETING);
    clientLines.forEach((c, i) => {
      p.client(c);
      if (serverLines[i]) p.server(serverLines[i]);
    });
    expect(await userOf(p)).toBe('alice');
  });
});
