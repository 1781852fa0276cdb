// A real Dovecot (Debian's /usr/sbin/dovecot) for end-to-end tests: loopback only, dynamically chosen
// ports for POP3, POP3S, IMAP (STARTTLS offered) and IMAPS, a throw-away config/base_dir, a self-signed
// certificate for 127.0.0.1/localhost, one passwd-file user whose Maildir belongs to an ordinary system
// user (Dovecot refuses mail access as uid 0). Several instances may run at once (one per test file).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { freePorts, waitForPorts } from './ports.ts';

export const MAIL_SYSTEM_USER = 'mailwardtest';

export interface DovecotOptions {
  /** Messages put in the mailbox before start, in this order (POP3 message 1 is the first). */
  messages?: Buffer[];
  user?: string;
  password?: string;
  /** Extra lines appended to dovecot.conf (e.g. to change auth mechanisms). */
  extraConfig?: string;
  /** Names in the server certificate (default: localhost and 127.0.0.1), e.g. to test a name mismatch. */
  certNames?: string[];
}

export interface DovecotPorts {
  pop3: number;
  pop3s: number;
  imap: number;
  imaps: number;
}

export interface RunningDovecot {
  host: '127.0.0.1';
  ports: DovecotPorts;
  user: string;
  password: string;
  /** The server's self-signed certificate (PEM), which is also its own CA for verification. */
  caPem: string;
  /** Path of that certificate file (for `--trust-ca`, `curl --cacert`). */
  certPath: string;
  /** Directory holding config, cert, Maildir and logs. */
  dir: string;
  maildir: string;
  /** Deliver one more message into Maildir new/ (seen by the next POP3 session / IMAP sync). */
  addMessage(raw: Buffer): void;
  /** Dovecot's own log (for failure messages). */
  logText(): string;
  stop(): Promise<void>;
}

interface SystemUser {
  uid: number;
  gid: number;
}

/** Create the ordinary system user that owns test mail, once per machine (idempotent, safe in parallel). */
export function ensureMailUser(name = MAIL_SYSTEM_USER): SystemUser {
  const lookup = (): SystemUser | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }));
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    // flock serialises concurrent test files; useradd exits 9 if another one won the race anyway.
    execFileSync(
      'flock',
      ['/tmp/mailward-useradd.lock', 'useradd', '--no-create-home', '--shell', '/usr/sbin/nologin', name],
      { stdio: 'ignore' },
    );
  } catch {
    /* checked below */
  }
  const made = lookup();
  if (!made) throw new Error(`could not create system user ${name} for the test mailbox (are we root?)`);
  return made;
}

/** A self-signed certificate for `names` (an IP goes in as IP and, for fetchmail, as DNS name too). */
export function makeSelfSignedCert(
  dir: string,
  names = ['localhost', '127.0.0.1'],
): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '30',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => (isIP(n) ? `DNS:${n},IP:${n}` : `DNS:${n}`)).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath };
}

function config(o: {
  dir: string;
  ports: DovecotPorts;
  certPath: string;
  keyPath: string;
  uid: number;
  extra: string;
}): string {
  return `# Throw-away Dovecot for Mailward tests
protocols = pop3 imap
listen = 127.0.0.1
base_dir = ${o.dir}/run
state_dir = ${o.dir}/state
instance_name = mailward-test-${o.ports.pop3}
log_path = ${o.dir}/dovecot.log
info_log_path = ${o.dir}/dovecot.log
ssl = yes
ssl_cert = <${o.certPath}
ssl_key = <${o.keyPath}
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop
first_valid_uid = ${o.uid}
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${o.dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${o.dir}/passwd
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${o.ports.pop3}
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = ${o.ports.pop3s}
    ssl = yes
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${o.ports.imap}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${o.ports.imaps}
    ssl = yes
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
${o.extra}
`;
}

let seq = 0;

/** Start Dovecot; retries with other ports if one was taken between choosing and binding. */
export async function startDovecot(opts: DovecotOptions = {}): Promise<RunningDovecot> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(opts: DovecotOptions): Promise<RunningDovecot> {
  const owner = ensureMailUser();
  const user = opts.user ?? 'alice';
  const password = opts.password ?? 'wonderland-42';
  const dir = mkdtempSync(join(tmpdir(), 'mailward-dovecot-'));
  // Dovecot's unprivileged processes (mail user, dovenull) must be able to traverse to their files.
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  const maildir = join(home, 'Maildir');
  for (const d of [home, maildir, ...['new', 'cur', 'tmp'].map((s) => join(maildir, s))]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, owner.uid, owner.gid);
  }
  const { certPath, keyPath } = makeSelfSignedCert(dir, opts.certNames);
  const [pop3, pop3s, imap, imaps] = await freePorts(4);
  const ports = { pop3, pop3s, imap, imaps };
  writeFileSync(join(dir, 'passwd'), `${user}:${password}:${owner.uid}:${owner.gid}::${home}::\n`, {
    mode: 0o644,
  });
  const confPath = join(dir, 'dovecot.conf');
  writeFileSync(
    confPath,
    config({ dir, ports, certPath, keyPath, uid: owner.uid, extra: opts.extraConfig ?? '' }),
  );

  let delivered = 0;
  const addMessage = (raw: Buffer): void => {
    // Dovecot numbers new Maildir files in file name order: a zero-padded counter keeps delivery order.
    const n = delivered++;
    const name = `${1_700_000_000 + n}.M${String(n).padStart(6, '0')}P${process.pid}.mailward${seq},S=${raw.length}`;
    const tmpPath = join(maildir, 'tmp', name);
    writeFileSync(tmpPath, raw);
    chownSync(tmpPath, owner.uid, owner.gid);
    execFileSync('mv', [tmpPath, join(maildir, 'new', name)]);
  };
  seq++;
  for (const m of opts.messages ?? []) addMessage(m);

  const logPath = join(dir, 'dovecot.log');
  const logText = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  let stderr = '';
  let exited: string | null = null;
  const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', confPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d) => (stderr += String(d)));
  // If the test process dies without afterAll (crash, timeout kill), take Dovecot with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  child.on('exit', (code, signal) => {
    exited = `dovecot exited (${code ?? signal}): ${stderr.trim()} ${logText().slice(-2000)}`;
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPorts([pop3, pop3s, imap, imaps], { timeoutMs: 15_000, failed: () => exited });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    ports,
    user,
    password,
    caPem: readFileSync(certPath, 'utf8'),
    certPath,
    dir,
    maildir,
    addMessage,
    logText,
    stop,
  };
}
