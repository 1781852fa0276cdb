// What a real Dovecot will not do on demand, played by a scripted IMAP server behind `mailward run`:
// a connection dropped in the middle of a message, and a response Mailward cannot read.
import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers/clients.ts';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';

const MESSAGE = 'Subject: hello\r\n\r\n' + 'x'.repeat(4000) + '\r\n';

type FetchReply = (socket: Socket, tag: string) => void;

/** A minimal IMAP server: greeting, any LOGIN/AUTHENTICATE, SELECT INBOX, and `fetch` for UID FETCH. */
function scriptedServer(fetch: FetchReply): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      socket.write('* OK [CAPABILITY IMAP4rev1] scripted\r\n');
      let buf = '';
      socket.on('data', (d) => {
        buf += d.toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          const [tag, cmd = '', arg = ''] = line.split(' ');
          const name = cmd.toUpperCase();
          if (name === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK done\r\n`);
          else if (name === 'AUTHENTICATE' || name === 'LOGIN') socket.write(`${tag} OK logged in\r\n`);
          else if (name === 'SELECT' || name === 'EXAMINE')
            socket.write(`* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n${tag} OK [READ-WRITE] done\r\n`);
          else if (name === 'UID' && arg.toUpperCase() === 'FETCH') fetch(socket, tag);
          else if (name === 'LOGOUT') socket.end(`* BYE bye\r\n${tag} OK done\r\n`);
          else if (tag) socket.write(`${tag} OK done\r\n`);
        }
      });
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

let dropping: { server: Server; port: number };
let garbled: { server: Server; port: number };
let mailward: RunningMailward;

beforeAll(async () => {
  dropping = await scriptedServer((socket) => {
    // Half of the announced literal, then the connection is gone.
    socket.write(`* 1 FETCH (UID 1 BODY[] {${MESSAGE.length}}\r\n${MESSAGE.slice(0, 1000)}`);
    setTimeout(() => socket.destroy(), 50);
  });
  garbled = await scriptedServer((socket, tag) => {
    socket.write(
      `* 1 FETCH (UID 1 BODY[] {${MESSAGE.length}}\r\n${MESSAGE}((( not imap\r\n${tag} OK done\r\n`,
    );
  });
  mailward = await startMailward({
    routes: [`0=imap://127.0.0.1:${dropping.port}`, `0=imap://127.0.0.1:${garbled.port}`],
  });
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  dropping?.server.close();
  garbled?.server.close();
  expect(code).toBe(0);
});

const curl = (port: number) =>
  run('curl', ['-sS', '--max-time', '20', '-u', 'alice:pw', `imap://127.0.0.1:${port}/INBOX;UID=1`]);

describe('IMAP through mailward run against a misbehaving server', () => {
  it('a server that drops the connection mid-message: the client is disconnected, gets none of it', async () => {
    const r = await curl(mailward.listener('imap', dropping.port).port);
    expect(r.code).not.toBe(0);
    expect(r.stdout.length).toBe(0);
    const log = readFileSync(join(mailward.dataDir, 'mailward.log'), 'utf8');
    expect(log).toContain('imap.upstream-closed-mid-response');
  });

  it('a response Mailward cannot read: the session goes on as a plain relay, with an event logged', async () => {
    const r = await curl(mailward.listener('imap', garbled.port).port);
    expect(r.stdout.toString('latin1')).toContain('x'.repeat(4000));
    const log = readFileSync(join(mailward.dataDir, 'mailward.log'), 'utf8');
    expect(log).toContain('imap.malformed-response');
  });
});
