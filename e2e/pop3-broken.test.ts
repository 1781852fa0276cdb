// What arrives broken gets a defined outcome, through `mailward run` with real sockets. The upstream is
// a scripted server here: a real Dovecot will not drop mid-message or speak another protocol on demand.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.ts';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';

let mailward: RunningMailward;
const servers: Server[] = [];

/** A POP3 server that logs anyone in and answers RETR with `retr(socket)`. */
async function scriptedPop3(retr: (s: Socket) => void, greeting = '+OK scripted\r\n'): Promise<number> {
  const srv = createServer((s) => {
    s.write(greeting);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const cmd = buf.slice(0, nl).trim().toUpperCase();
        buf = buf.slice(nl + 1);
        if (cmd.startsWith('RETR')) retr(s);
        else if (cmd === 'QUIT') s.end('+OK bye\r\n');
        else s.write('+OK\r\n');
      }
    });
    s.on('error', () => {});
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as AddressInfo).port;
}

/** A raw client: sends `lines` one by one after the greeting and returns everything it received. */
function talk(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    let sent = 0;
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.endsWith('\r\n') && sent < lines.length) s.write(lines[sent++] + '\r\n');
    });
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    setTimeout(() => s.destroy(), 10_000).unref();
  });
}

let halfPort: number;
let alienPort: number;
let deadPort: number;

beforeAll(async () => {
  halfPort = await scriptedPop3((s) => {
    s.write('+OK 5000 octets\r\nSubject: half\r\n\r\nthe first part of the body and then');
    setTimeout(() => s.destroy(), 50);
  });
  const alien = createServer((s) => {
    s.on('error', () => {});
    s.end('SSH-2.0-OpenSSH_9.2\r\n');
  });
  servers.push(alien);
  await new Promise<void>((r) => alien.listen(0, '127.0.0.1', r));
  alienPort = (alien.address() as AddressInfo).port;
  deadPort = await freePort();
  mailward = await startMailward({
    routes: [
      `0=pop3://127.0.0.1:${halfPort}`,
      `0=pop3://127.0.0.1:${alienPort}`,
      `0=pop3://127.0.0.1:${deadPort}`,
    ],
  });
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  servers.forEach((s) => s.close());
  expect(code).toBe(0);
});

describe('broken upstreams', () => {
  it('a server that drops mid-message: the client gets -ERR and nothing of the message', async () => {
    const got = await talk(mailward.listener('pop3', halfPort).port, ['USER a', 'PASS b', 'RETR 1']);
    expect(got).toBe(
      '+OK scripted\r\n+OK\r\n+OK\r\n-ERR the connection to the mail server was lost while receiving message 1; nothing was delivered\r\n',
    );
  });

  it('a server that does not speak POP3: passed through unfiltered, logged, the service keeps running', async () => {
    const got = await talk(mailward.listener('pop3', alienPort).port, []);
    expect(got).toBe('SSH-2.0-OpenSSH_9.2\r\n');
    expect(mailward.stderr()).toMatch(/server reply is not POP3/);
    const again = await talk(mailward.listener('pop3', halfPort).port, ['QUIT']);
    expect(again).toBe('+OK scripted\r\n+OK bye\r\n');
  });

  it('a server that cannot be reached: the client gets -ERR saying so', async () => {
    const got = await talk(mailward.listener('pop3', deadPort).port, []);
    expect(got).toMatch(/^-ERR Mailward cannot reach the mail server: .*ECONNREFUSED/);
  });
});

describe('stopping the service', () => {
  it('SIGTERM with a session open: the client is disconnected and mailward exits 0', async () => {
    const own = await startMailward({ routes: [`0=pop3://127.0.0.1:${halfPort}`] });
    try {
      const s = connect({ host: '127.0.0.1', port: own.listener('pop3').port });
      s.on('error', () => {});
      const closed = new Promise((r) => s.on('close', r));
      const greeting = await new Promise<string>((r) => s.once('data', (d) => r(d.toString())));
      expect(greeting).toBe('+OK scripted\r\n');
      expect(await own.stop()).toBe(0);
      await closed;
    } finally {
      own.cleanup();
    }
  });
});
