// `mailward run` as a child process, the way a user starts it: routes and trusted CAs as flags,
// a throw-away data dir, the `listening …` lines parsed to find the ports. Use port 0 in a route
// (`--route 0=pop3://…` or `127.0.0.1:0=…`) to let the service pick a free port and read it back.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAILWARD_BIN = join(REPO_ROOT, 'bin', 'mailward.js');

export interface Listener {
  scheme: 'pop3' | 'pop3s' | 'imap' | 'imaps';
  host: string;
  port: number;
  /** As printed: `pop3s://HOST:PORT`. */
  upstream: string;
}

/** `listening pop3s 127.0.0.1:2995 -> pop3s://mail.example.com:995` */
export const LISTENING_LINE = /^listening (pop3s?|imaps?) (\S+):(\d+) -> (\S+)$/;

export function parseListening(line: string): Listener | null {
  const m = LISTENING_LINE.exec(line.trim());
  if (!m) return null;
  return {
    scheme: m[1] as Listener['scheme'],
    host: m[2].replace(/^\[|\]$/g, ''),
    port: Number(m[3]),
    upstream: m[4],
  };
}

export interface MailwardOptions {
  /** Existing data dir (settings prepared with `cli`); a fresh one under tmp otherwise. */
  dataDir?: string;
  /** `LISTEN=UPSTREAM` items for `--route`. */
  routes?: string[];
  trustCa?: string[];
  /** More arguments for `mailward run` (default adds `--no-console`). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How many `listening` lines to wait for (default: routes.length; 0 = until the service logs that it started). */
  expectListeners?: number;
  timeoutMs?: number;
}

export interface RunningMailward {
  dataDir: string;
  /** Every `listening` line so far (routes added later through settings appear here too). */
  listeners: Listener[];
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The listener whose upstream URL starts with `scheme://` and ends with `:port` (or the n-th of a scheme). */
  listener(scheme: Listener['scheme'], upstreamPort?: number): Listener;
  /** Another `mailward` command against the same data dir (e.g. `settings set …`, `log --json`, `ca export`). */
  cli(args: string[]): Promise<CliResult>;
  /** SIGTERM, wait for exit; resolves with the exit code (callers assert 0). */
  stop(): Promise<number | null>;
  /** Remove the data dir if this helper made it. */
  cleanup(): void;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `mailward ARGS…` to completion. */
export function mailwardCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAILWARD_BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export async function startMailward(opts: MailwardOptions = {}): Promise<RunningMailward> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mailward-data-'));
  const args = [MAILWARD_BIN, 'run', '--data-dir', dataDir];
  for (const r of opts.routes ?? []) args.push('--route', r);
  for (const ca of opts.trustCa ?? []) args.push('--trust-ca', ca);
  args.push(...(opts.args ?? ['--no-console']));
  // MAILWARD_PROFILE_DIR: write a V8 CPU profile of the service (for `npm run bench` investigations).
  const profile = process.env.MAILWARD_PROFILE_DIR
    ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.MAILWARD_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MAILWARD_DATA_DIR: dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies without stopping it, the service goes too.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let out = '';
  let err = '';
  const listeners: Listener[] = [];
  const want = opts.expectListeners ?? opts.routes?.length ?? 1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mailward run did not start in time.\nstdout: ${out}\nstderr: ${err}`)),
      opts.timeoutMs ?? 30_000,
    );
    let pending = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      pending += String(d);
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const l = parseListening(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (l) listeners.push(l);
      }
      if (listeners.length >= want) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += String(d);
      // With no routes there is no `listening` line to wait for: the start-up log line says it is up.
      if (want === 0 && /service started/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mailward run exited early (${code}).\nstdout: ${out}\nstderr: ${err}`));
    });
  });

  const env = { MAILWARD_DATA_DIR: dataDir, ...opts.env };
  return {
    dataDir,
    listeners,
    child,
    stdout: () => out,
    stderr: () => err,
    listener(scheme, upstreamPort) {
      const l = listeners.find(
        (x) => x.scheme === scheme && (upstreamPort === undefined || x.upstream.endsWith(`:${upstreamPort}`)),
      );
      if (!l) throw new Error(`no ${scheme} listener (upstream port ${upstreamPort}) in:\n${out}`);
      return l;
    },
    cli: (a) => mailwardCli([...a, '--data-dir', dataDir], env),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    cleanup() {
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const CONSOLE_LINE = /^console ((http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+))$/m;

/** The settings console `mailward run` printed (`console http://127.0.0.1:PORT/#token=…`), waited for up to 30 s. */
export async function consoleOf(m: RunningMailward): Promise<{ url: string; origin: string; token: string }> {
  for (let i = 0; i < 300; i++) {
    const match = CONSOLE_LINE.exec(m.stdout());
    if (match) return { url: match[1], origin: match[2], token: match[3] };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no console line in:\n${m.stdout()}\n${m.stderr()}`);
}
