// Real mail clients for end-to-end tests: curl (POP3/IMAP, one connection for many messages) and
// fetchmail (POP3/IMAP with an MDA that writes every delivered message to its own file).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        encoding: 'buffer',
        maxBuffer: 1024 * 1024 * 1024,
        env: { ...process.env, ...env },
        timeout: timeoutMs,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
        resolve({ code, stdout, stderr: String(stderr) });
      },
    );
  });
}

export interface CurlTarget {
  /** `pop3`, `pop3s`, `imap`, `imaps`. */
  scheme: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** CA file for verifying the server (the exported Mailward CA through the proxy). */
  cacert?: string;
  /** `--ssl-reqd`: upgrade a plain connection with STLS/STARTTLS, fail if the server cannot. */
  sslReqd?: boolean;
  /** `--insecure`. */
  insecure?: boolean;
  /** SASL mechanism for `--login-options AUTH=…`. */
  auth?: string;
}

export function curlArgs(t: CurlTarget): string[] {
  const args = ['-sS', '--connect-timeout', '10', '-u', `${t.user}:${t.password}`];
  if (t.cacert) args.push('--cacert', t.cacert);
  if (t.sslReqd) args.push('--ssl-reqd');
  if (t.insecure) args.push('--insecure');
  if (t.auth) args.push('--login-options', `AUTH=${t.auth}`);
  return args;
}

const base = (t: CurlTarget) => `${t.scheme}://${t.host}:${t.port}`;

/** `curl pop3://…/` lists messages (`N SIZE` lines). */
export async function curlPop3List(t: CurlTarget): Promise<RunResult> {
  return run('curl', [...curlArgs(t), `${base(t)}/`]);
}

/**
 * `curl -v` against `path` (default `/1`): besides the exit code, the lines the server side sent, from
 * curl's trace (`< …`) — what the user's client was told, e.g. Mailward's `-ERR` naming a refused certificate.
 */
export async function curlServerLines(
  t: CurlTarget,
  path = '/1',
): Promise<{ code: number; lines: string[]; stderr: string }> {
  const r = await run('curl', ['-v', ...curlArgs(t), `${base(t)}${path}`]);
  const lines = [...r.stderr.matchAll(/^< (.*?)\r?$/gm)].map((m) => m[1]);
  return { code: r.code, lines, stderr: r.stderr };
}

export interface CurlFetch {
  code: number;
  stderr: string;
  /** Message bodies in order of `ids`; missing ones (failed transfer) are undefined. */
  messages: (Buffer | undefined)[];
}

/**
 * Retrieve POP3 messages `ids` in ONE curl process; curl reuses the connection for URLs to the same
 * server, so this is one POP3 session (as the benchmark needs).
 */
export async function curlPop3Retrieve(t: CurlTarget, ids: number[]): Promise<CurlFetch> {
  const dir = mkdtempSync(join(tmpdir(), 'mailward-curl-'));
  try {
    const cfg = ids.map((id) => `url = "${base(t)}/${id}"\noutput = "${join(dir, `${id}.eml`)}"\n`).join('');
    writeFileSync(join(dir, 'curl.cfg'), cfg);
    const r = await run('curl', [...curlArgs(t), '--config', join(dir, 'curl.cfg')]);
    const messages = ids.map((id) => {
      try {
        return readFileSync(join(dir, `${id}.eml`));
      } catch {
        return undefined;
      }
    });
    return { code: r.code, stderr: r.stderr, messages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FetchmailOptions {
  protocol: 'pop3' | 'imap';
  host: string;
  port: number;
  user: string;
  password: string;
  /** Implicit TLS (pop3s/imaps). */
  ssl?: boolean;
  /** Verify the server certificate against this CA file (`sslcertck` + `sslcertfile`). */
  sslcertfile?: string;
  /** `sslproto` value; `''` disables opportunistic STLS on a plain connection. */
  sslproto?: string;
}

export interface FetchmailResult {
  code: number;
  output: string;
  /** Delivered messages, in delivery order. */
  messages: Buffer[];
}

/**
 * Run fetchmail once (keep, fetchall) with an MDA writing each message to a numbered file.
 * Exit code 0 = mail fetched, 1 = no mail; anything else is an error (see fetchmail(1)).
 */
export async function fetchmail(o: FetchmailOptions): Promise<FetchmailResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mailward-fetchmail-'));
  try {
    const out = join(dir, 'out');
    const mda = `/bin/sh -c 'n=$(ls ${out} 2>/dev/null | wc -l); mkdir -p ${out}; cat > ${out}/$(printf %06d $n).eml'`;
    const opts = [
      'set invisible',
      `poll ${o.host} with proto ${o.protocol.toUpperCase()} port ${o.port}`,
      `  user "${o.user}" there with password "${o.password}" is root here`,
      `  keep fetchall`,
      o.ssl ? '  ssl' : '',
      o.sslcertfile ? `  sslcertck sslcertfile "${o.sslcertfile}"` : '',
      o.sslproto !== undefined ? `  sslproto "${o.sslproto}"` : '',
      `  mda "${mda.replace(/"/g, '\\"')}"`,
    ].filter(Boolean);
    const rc = join(dir, 'fetchmailrc');
    writeFileSync(rc, opts.join('\n') + '\n', { mode: 0o600 });
    const r = await run(
      'fetchmail',
      ['-f', rc, '--nodetach', '--nosyslog', '--idfile', join(dir, 'ids'), '-v'],
      { HOME: dir, FETCHMAILHOME: dir },
    );
    let files: string[] = [];
    try {
      files = readdirSync(out).sort();
    } catch {
      /* nothing delivered */
    }
    return {
      code: r.code,
      output: String(r.stdout) + r.stderr,
      messages: files.map((f) => readFileSync(join(out, f))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
