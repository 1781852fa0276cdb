// Playbook tests of the IMAP layer: bytes in, bytes out, one behaviour each.
import { describe, expect, it } from 'vitest';
import {
  NOTICE,
  VIRUS,
  literal,
  playbook,
  result,
  sampleMessage,
  shrinkingCleaner,
  type Playbook,
} from './playbook.ts';

const GREETING =
  '* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE STARTTLS AUTH=PLAIN] ready\r\n';

/** A session logged in as alice with INBOX selected (UIDVALIDITY 42); transcript discarded. */
function selected(p: Playbook = playbook()): Playbook {
  p.server(GREETING);
  p.client('a1 LOGIN alice secret\r\n');
  p.server('a1 OK logged in\r\n');
  p.client('a2 SELECT INBOX\r\n');
  p.server(
    '* 3 EXISTS\r\n* OK [UIDVALIDITY 42] UIDs valid\r\n* OK [UIDNEXT 9] next\r\na2 OK [READ-WRITE] done\r\n',
  );
  p.toClient();
  p.toServer();
  return p;
}

const msg = sampleMessage();
const cleaned = sampleMessage(NOTICE);

describe('IMAP layer: pass-through', () => {
  it('removes COMPRESS=DEFLATE and SCRAM-*-PLUS from the greeting, keeps everything else byte for byte', () => {
    const p = playbook();
    p.server(
      '* OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-1-PLUS AUTH=SCRAM-SHA-1 IDLE] hi\r\n',
    );
    expect(p.toClient()).toBe(
      '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-1 IDLE] hi\r\n',
    );
  });

  it('filters the CAPABILITY response and the tagged OK [CAPABILITY] after login', () => {
    const p = playbook();
    p.server(GREETING);
    p.client('a1 CAPABILITY\r\n');
    p.server(
      '* CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256-PLUS UIDPLUS COMPRESS=DEFLATE MOVE\r\na1 OK done\r\n',
    );
    p.client('a2 LOGIN alice secret\r\n');
    p.server('a2 OK [CAPABILITY IMAP4rev1 QRESYNC COMPRESS=DEFLATE UTF8=ACCEPT] Logged in\r\n');
    expect(p.toClient()).toBe(
      GREETING +
        '* CAPABILITY IMAP4rev1 UIDPLUS MOVE\r\na1 OK done\r\n' +
        'a2 OK [CAPABILITY IMAP4rev1 QRESYNC UTF8=ACCEPT] Logged in\r\n',
    );
  });

  it('passes LOGIN with non-synchronising literals (new Outlook) unchanged', () => {
    const p = playbook();
    p.server(GREETING);
    p.client('a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n');
    expect(p.toServer()).toBe('a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n');
  });

  it('passes APPEND with a synchronising 8-bit literal unchanged, continuation from the server', () => {
    const p = selected();
    const body = Buffer.from('Subject: caf\xe9\r\n\r\n\x00\xff\r\n', 'latin1');
    p.client(`a3 APPEND Drafts (\\Draft) {${body.length}}\r\n`);
    p.server('+ Ready for literal data\r\n');
    p.client(Buffer.concat([body, Buffer.from('\r\n')]));
    p.server('a3 OK [APPENDUID 42 9] Append completed.\r\n');
    expect(p.toServer()).toBe(
      `a3 APPEND Drafts (\\Draft) {${body.length}}\r\n${body.toString('latin1')}\r\n`,
    );
    expect(p.toClient()).toBe('+ Ready for literal data\r\na3 OK [APPENDUID 42 9] Append completed.\r\n');
  });

  it('relays the server IDLE continuation (never invents one), untagged EXISTS at once, and DONE', () => {
    const p = selected();
    p.client('a3 IDLE\r\n');
    expect(p.toServer()).toBe('a3 IDLE\r\n');
    expect(p.toClient()).toBe('');
    p.server('+ idling\r\n');
    expect(p.toClient()).toBe('+ idling\r\n');
    p.server('* 4 EXISTS\r\n');
    expect(p.toClient()).toBe('* 4 EXISTS\r\n');
    p.client('DONE\r\n');
    expect(p.toServer()).toBe('DONE\r\n');
  });

  it('answers COMPRESS itself with NO; the server never sees it', () => {
    const p = selected();
    p.client('a3 COMPRESS DEFLATE\r\n');
    expect(p.toServer()).toBe('');
    expect(p.toClient()).toBe('a3 NO [CANNOT] COMPRESS is not available through Mailward\r\n');
  });

  it('passes a clean message byte-identical, scanned once', async () => {
    const p = selected(playbook());
    const clean = sampleMessage(Buffer.from('harmless data here').toString('base64'));
    const response = `* 1 FETCH (UID 5 RFC822.SIZE ${clean.length} BODY[] ${literal(clean)})\r\na3 OK done\r\n`;
    p.client('a3 UID FETCH 5 (RFC822.SIZE BODY.PEEK[])\r\n');
    p.server(response);
    await p.settle();
    expect(p.toClient()).toBe(response);
    expect(p.scans).toHaveLength(1);
  });

  it('with scanning off (TLS still intercepted), content passes unscanned but capabilities are still filtered', async () => {
    const p = selected(playbook({ filtering: false }));
    p.client('a3 UID FETCH 5 (BODY.PEEK[2])\r\n');
    p.server(
      `* 1 FETCH (UID 5 BODY[2] ${literal(VIRUS)})\r\na3 OK done\r\n* CAPABILITY IMAP4rev1 COMPRESS=DEFLATE\r\n`,
    );
    await p.settle();
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 BODY[2] ${literal(VIRUS)})\r\na3 OK done\r\n* CAPABILITY IMAP4rev1\r\n`,
    );
    expect(p.scans).toHaveLength(0);
  });
});

describe('IMAP layer: FETCH content', () => {
  it('a full fetch of an infected message arrives cleaned with the literal length recomputed', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (UID BODY.PEEK[])\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\na3 OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(`* 1 FETCH (UID 5 BODY[] ${literal(cleaned)})\r\na3 OK done\r\n`);
  });

  it('RFC822.PEEK (Outlook) gets the cleaned message', async () => {
    const p = selected();
    p.client('a3 FETCH 1 (RFC822.PEEK)\r\n');
    p.server(`* 1 FETCH (RFC822 ${literal(msg)})\r\na3 OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(`* 1 FETCH (RFC822 ${literal(cleaned)})\r\na3 OK done\r\n`);
  });

  it('responses after a held message wait for its scan: order is kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const p = selected(
      playbook({
        clean: async (raw) => {
          await gate;
          return result(raw);
        },
      }),
    );
    p.client('a3 UID FETCH 5 BODY.PEEK[]\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\na3 OK done\r\n* 4 EXISTS\r\n`);
    await p.settle();
    expect(p.toClient()).toBe('');
    release();
    await p.settle();
    expect(p.toClient()).toBe(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\na3 OK done\r\n* 4 EXISTS\r\n`);
  });

  it('one session waiting for a slow scan does not stall another session', async () => {
    const slow = selected(playbook({ clean: () => new Promise(() => {}) }));
    const fast = selected();
    slow.client('a3 UID FETCH 5 BODY.PEEK[]\r\n');
    slow.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\na3 OK done\r\n`);
    fast.client('a3 NOOP\r\n');
    fast.server('* 4 EXISTS\r\na3 OK NOOP\r\n');
    await fast.settle();
    expect(fast.toClient()).toBe('* 4 EXISTS\r\na3 OK NOOP\r\n');
    expect(slow.toClient()).toBe('');
  });

  it('when the notice does not fit, the literal and RFC822.SIZE in the same response take the new size', async () => {
    const p = selected(playbook({ clean: shrinkingCleaner }));
    const out = Buffer.from(msg.toString('latin1').replace(VIRUS, 'Zm9v'), 'latin1');
    p.client('a3 UID FETCH 5 (RFC822.SIZE BODY.PEEK[])\r\n');
    p.server(`* 1 FETCH (UID 5 RFC822.SIZE ${msg.length} BODY[] ${literal(msg)})\r\na3 OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 RFC822.SIZE ${out.length} BODY[] ${literal(out)})\r\na3 OK done\r\n`,
    );
    // Later listings of that message report the cleaned size too.
    p.client('a4 UID FETCH 5 (UID RFC822.SIZE FLAGS)\r\n');
    p.server(`* 1 FETCH (UID 5 RFC822.SIZE ${msg.length} FLAGS (\\Seen))\r\na4 OK done\r\n`);
    expect(p.toClient()).toBe(`* 1 FETCH (UID 5 RFC822.SIZE ${out.length} FLAGS (\\Seen))\r\na4 OK done\r\n`);
  });

  it('a partial fetch is answered from the cleaned whole message, fetched upstream once under a private tag', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (UID BODY.PEEK[]<0.200>)\r\n');
    expect(p.toServer()).toBe('a3 UID FETCH 5 (UID BODY.PEEK[]<0.200>)\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[]<0> ${literal(msg.subarray(0, 200))})\r\n`);
    const hidden = p.toServer();
    expect(hidden).toMatch(/^MW[0-9a-f]{6}1 UID FETCH 5 \(BODY\.PEEK\[\]\)\r\n$/);
    const tag = hidden.split(' ')[0];
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${tag} OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 BODY[]<0> ${literal(cleaned.subarray(0, 200))})\r\na3 OK done\r\n`,
    );
    // The next chunk comes from the cache: no second upstream fetch, no second scan.
    p.client('a4 UID FETCH 5 (UID BODY.PEEK[]<200.200>)\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[]<200> ${literal(msg.subarray(200, 400))})\r\na4 OK done\r\n`);
    await p.settle();
    expect(p.toServer()).toBe('a4 UID FETCH 5 (UID BODY.PEEK[]<200.200>)\r\n');
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 BODY[]<200> ${literal(cleaned.subarray(200, 400))})\r\na4 OK done\r\n`,
    );
    expect(p.scans).toHaveLength(1);
  });

  it('chunks of an infected message reassemble to the cleaned message, never the virus', async () => {
    const p = selected();
    for (let o = 0; o < msg.length; o += 64) {
      p.client(`c${o} UID FETCH 5 (UID BODY.PEEK[]<${o}.64>)\r\n`);
      p.server(`* 1 FETCH (UID 5 BODY[]<${o}> ${literal(msg.subarray(o, o + 64))})\r\nc${o} OK done\r\n`);
      const hidden = p
        .toServer()
        .split('\r\n')
        .find((l) => l.startsWith('MW'));
      if (hidden) p.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${hidden.split(' ')[0]} OK done\r\n`);
      await p.settle();
    }
    expect(p.scans).toHaveLength(1);
    // Rebuild from the transcript of all toClient bytes.
    const all = Buffer.concat(p.commands.flatMap((c) => (c.type === 'toClient' ? [c.data] : []))).toString(
      'latin1',
    );
    let rebuilt = '';
    for (const m of all.matchAll(/BODY\[\]<\d+> \{(\d+)\}\r\n/g))
      rebuilt += all.substr(m.index! + m[0].length, Number(m[1]));
    expect(rebuilt).toBe(cleaned.toString('latin1'));
    expect(all).not.toContain(VIRUS);
  });

  it('a first chunk longer than the message is the whole message: scanned from it, no second fetch', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (UID BODY.PEEK[]<0.65536>)\r\n');
    p.toServer();
    p.server(`* 1 FETCH (UID 5 BODY[]<0> ${literal(msg)})\r\na3 OK done\r\n`);
    await p.settle();
    expect(p.toServer()).toBe('');
    expect(p.toClient()).toBe(`* 1 FETCH (UID 5 BODY[]<0> ${literal(cleaned)})\r\na3 OK done\r\n`);
  });

  it('stops reading from the server while more than 64 MiB wait for scans, and reads on after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const p = selected(playbook({ clean: async (raw) => (await gate, result(raw)) }));
    const big = Buffer.alloc(33 * 1024 * 1024, 0x61);
    p.client('a3 FETCH 1:2 BODY.PEEK[]\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[] {${big.length}}\r\n`);
    p.server(big);
    p.server(')\r\n');
    expect(p.commands.some((c) => c.type === 'pauseServer')).toBe(false);
    p.server(`* 2 FETCH (UID 6 BODY[] {${big.length}}\r\n`);
    p.server(big);
    p.server(')\r\n');
    expect(p.commands.at(-1)).toEqual({ type: 'pauseServer' });
    release();
    await p.settle();
    expect(p.commands.filter((c) => c.type === 'resumeServer')).toHaveLength(1);
  });

  it('a per-part fetch (BODY[2]) is the notice from the cleaned message, decided on the whole message', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (UID BODY.PEEK[2])\r\n');
    p.toServer();
    p.server(`* 1 FETCH (UID 5 BODY[2] ${literal(VIRUS + '\r\n')})\r\n`);
    const tag = p.toServer().split(' ')[0];
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${tag} OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(`* 1 FETCH (UID 5 BODY[2] ${literal(NOTICE)})\r\na3 OK done\r\n`);
  });

  it('a removed base64 part read on its own is the notice base64-encoded, as its BODYSTRUCTURE says', async () => {
    const part = `Content-Type: application/octet-stream; name="x.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${VIRUS}`;
    const notice = 'Content-Type: text/plain\r\n\r\nRemoved: x.bin';
    const p = selected(
      playbook({
        clean: async (raw) => {
          const out = raw.toString('latin1').replace(part, notice.padEnd(part.length, ' '));
          return result(raw, Buffer.from(out, 'latin1'), true);
        },
      }),
    );
    p.client('a3 UID FETCH 5 (UID BODY.PEEK[2])\r\n');
    p.toServer();
    p.server(`* 1 FETCH (UID 5 BODY[2] ${literal(VIRUS)})\r\n`);
    const tag = p.toServer().split(' ')[0];
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${tag} OK done\r\n`);
    await p.settle();
    const m = /^\* 1 FETCH \(UID 5 BODY\[2\] \{(\d+)\}\r\n([\s\S]*)\)\r\na3 OK done\r\n$/.exec(p.toClient());
    expect(m).not.toBeNull();
    expect(Buffer.from(m![2], 'base64').toString()).toBe('Removed: x.bin');
  });

  it('BINARY[2] is the decoded notice; BODY[1] of the clean part is unchanged', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (UID BINARY.PEEK[2] BODY.PEEK[1])\r\n');
    p.toServer();
    p.server(
      `* 1 FETCH (UID 5 BINARY[2] ~${literal('VIRUS-VIRUS-VIRUS!')} BODY[1] ${literal('Hello there')})\r\n`,
    );
    const tag = p.toServer().split(' ')[0];
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${tag} OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 BINARY[2] ~${literal('removed-by-notice!')} BODY[1] ${literal('Hello there')})\r\na3 OK done\r\n`,
    );
  });

  it('a plain FETCH of a part (no UID) fetches the whole message by sequence number, asking for its UID', async () => {
    const p = selected();
    p.client('a3 FETCH 1 (BODY.PEEK[TEXT])\r\n');
    p.toServer();
    p.server(`* 1 FETCH (BODY[TEXT] ${literal('x')})\r\n`);
    const hidden = p.toServer();
    expect(hidden).toMatch(/^MW\w+ FETCH 1 \(UID BODY\.PEEK\[\]\)\r\n$/);
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${hidden.split(' ')[0]} OK done\r\n`);
    await p.settle();
    const text = cleaned.subarray(cleaned.indexOf('\r\n\r\n') + 4);
    expect(p.toClient()).toBe(`* 1 FETCH (BODY[TEXT] ${literal(text)})\r\na3 OK done\r\n`);
  });

  it('an EXPUNGE while a fetch by sequence number is outstanding voids it: NIL, never another message', async () => {
    const p = selected();
    p.client('a3 FETCH 2 (BODY.PEEK[2])\r\na4 NOOP\r\n');
    expect(p.toServer()).toBe('a3 FETCH 2 (BODY.PEEK[2])\r\na4 NOOP\r\n');
    p.server(`* 2 FETCH (BODY[2] ${literal(VIRUS)})\r\n`);
    const tag = p.toServer().split(' ')[0];
    p.server(
      `a3 OK done\r\n* 1 EXPUNGE\r\na4 OK done\r\n* 2 FETCH (UID 7 BODY[] ${literal(msg)})\r\n${tag} OK\r\n`,
    );
    await p.settle();
    expect(p.toClient()).toBe('* 2 FETCH (BODY[2] NIL)\r\na3 OK done\r\n* 1 EXPUNGE\r\na4 OK done\r\n');
  });

  it('client commands wait while a hidden fetch is outstanding, and SELECT waits for in-flight FETCHes', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 (BODY.PEEK[2])\r\na4 SELECT Other\r\n');
    expect(p.toServer()).toBe('a3 UID FETCH 5 (BODY.PEEK[2])\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[2] ${literal(VIRUS)})\r\n`);
    const hidden = p.toServer();
    expect(hidden).toMatch(/^MW\w+ UID FETCH 5/);
    p.client('a5 NOOP\r\n');
    p.server('a3 OK done\r\n');
    expect(p.toServer()).toBe('');
    p.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${hidden.split(' ')[0]} OK done\r\n`);
    expect(p.toServer()).toBe('a4 SELECT Other\r\na5 NOOP\r\n');
  });

  it('selected header fields (message listings) pass unchanged and trigger no scan or upstream fetch', async () => {
    const p = selected();
    const fields = 'Subject: test\r\n\r\n';
    p.client('a3 UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n');
    p.toServer();
    p.server(`* 1 FETCH (UID 5 BODY[HEADER.FIELDS (SUBJECT)] ${literal(fields)})\r\na3 OK done\r\n`);
    expect(p.toClient()).toBe(
      `* 1 FETCH (UID 5 BODY[HEADER.FIELDS (SUBJECT)] ${literal(fields)})\r\na3 OK done\r\n`,
    );
    expect(p.toServer()).toBe('');
    expect(p.scans).toHaveLength(0);
  });

  it('the whole header (fetchmail reads it before the text) comes from the cleaned message', async () => {
    const tagging = playbook({
      clean: async (raw) => {
        const out = Buffer.from(
          raw.toString('latin1').replace('Subject: test', 'Subject: [x] t').replace(VIRUS, NOTICE),
          'latin1',
        );
        return result(raw, out, true);
      },
    });
    const p = selected(tagging);
    const header = msg.subarray(0, msg.indexOf('\r\n\r\n') + 4);
    p.client('a3 FETCH 1 (RFC822.HEADER)\r\n');
    p.toServer();
    p.server(`* 1 FETCH (RFC822.HEADER ${literal(header)})\r\n`);
    const tag = p.toServer().split(' ')[0];
    p.server(`a3 OK done\r\n* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\n${tag} OK done\r\n`);
    await p.settle();
    const tagged = header.toString('latin1').replace('Subject: test', 'Subject: [x] t');
    expect(p.toClient()).toBe(`* 1 FETCH (RFC822.HEADER ${literal(tagged)})\r\na3 OK done\r\n`);
  });

  it('a scan that fails gives NIL content, never the unscanned message', async () => {
    const p = selected(playbook({ clean: () => Promise.reject(new Error('scanner crashed')) }));
    p.client('a3 UID FETCH 5 BODY.PEEK[]\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[] ${literal(msg)})\r\na3 OK done\r\n`);
    await p.settle();
    expect(p.toClient()).toBe('* 1 FETCH (UID 5 BODY[] NIL)\r\na3 OK done\r\n');
    expect(p.logs()).toContain('imap.fetch.scan-failed');
  });
});

describe('IMAP layer: STARTTLS and bad input', () => {
  it('STARTTLS: TLS upstream first, then the OK and TLS with the client', () => {
    const p = playbook();
    p.server('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n');
    p.client('a1 STARTTLS\r\n');
    expect(p.toServer()).toBe('a1 STARTTLS\r\n');
    p.toClient();
    p.server('a1 OK Begin TLS negotiation now.\r\n');
    expect(p.toClient()).toBe('');
    expect(p.commands.at(-1)).toEqual({ type: 'upgradeServerTls' });
    p.layer.onServerTlsReady();
    expect(p.toClient()).toBe('a1 OK Begin TLS negotiation now.\r\n');
    expect(p.commands.at(-1)).toEqual({ type: 'upgradeClientTls' });
    p.layer.onClientTlsReady();
    p.client('a2 CAPABILITY\r\n');
    expect(p.toServer()).toBe('a2 CAPABILITY\r\n');
  });

  it('a refused upstream certificate during STARTTLS answers the client NO with the reason and closes', () => {
    const p = playbook();
    p.server(GREETING);
    p.client('a1 STARTTLS\r\n');
    p.server('a1 OK go\r\n');
    p.toClient();
    p.layer.onServerTlsFailed('the certificate of mail.example.com expired');
    expect(p.toClient()).toBe(
      'a1 NO [UNAVAILABLE] Mailward could not secure the connection to the server: the certificate of mail.example.com expired\r\n',
    );
    expect(p.commands.at(-1)).toMatchObject({ type: 'close' });
  });

  it('a malformed FETCH response switches the session to a relay and logs it', async () => {
    const p = selected();
    p.client('a3 FETCH 1 FLAGS\r\n');
    p.server('* 1 FETCH (FLAGS (\\Seen\r\na3 OK done\r\n');
    await p.settle();
    expect(p.toClient()).toBe('* 1 FETCH (FLAGS (\\Seen\r\na3 OK done\r\n');
    expect(p.logs()).toContain('imap.malformed-response');
    expect(p.commands.at(-1)).toMatchObject({ type: 'relay' });
  });

  it('a greeting that is not IMAP is relayed with an event', async () => {
    const p = playbook();
    p.server('+OK POP3 server ready\r\n');
    await p.settle();
    expect(p.toClient()).toBe('+OK POP3 server ready\r\n');
    expect(p.logs()).toContain('imap.malformed-response');
  });

  it('an upstream drop in the middle of a literal closes the client without the partial message', async () => {
    const p = selected();
    p.client('a3 UID FETCH 5 BODY.PEEK[]\r\n');
    p.server(`* 1 FETCH (UID 5 BODY[] {${msg.length}}\r\n${msg.subarray(0, 50).toString('latin1')}`);
    p.layer.onServerClosed();
    await p.settle();
    expect(p.toClient()).toBe('');
    expect(p.commands.at(-1)).toMatchObject({ type: 'close' });
    expect(p.logs()).toContain('imap.upstream-closed-mid-response');
  });
});
