// The usual end-to-end setup in one call: a real Dovecot with `messages`, `mailward run` with routes to
// it, and the exported Mailward CA in a file for clients to verify against. close() stops both, removes
// the temp files and resolves with mailward's exit code (callers assert 0).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurlTarget } from './clients.ts';
import { startDovecot, type DovecotPorts, type RunningDovecot } from './dovecot.ts';
import { startMailward, type RunningMailward } from './mailward.ts';

export interface MailStackOptions {
  messages: Buffer[];
  /** Which Dovecot ports get a route (listener on a free port, 127.0.0.1). */
  routes: (keyof DovecotPorts)[];
  /** Pass Dovecot's self-signed certificate with --trust-ca (default true). */
  trustDovecot?: boolean;
  /** Extra `mailward run` arguments (default `--no-console`). */
  args?: string[];
  /** Names in Dovecot's certificate (default localhost, 127.0.0.1). */
  certNames?: string[];
}

export interface MailStack {
  dovecot: RunningDovecot;
  mailward: RunningMailward;
  /** The exported Mailward root CA (PEM file) for `curl --cacert`, fetchmail `sslcertfile`, etc. */
  caPath: string;
  caPem: string;
  close(): Promise<number | null>;
}

export async function startMailStack(o: MailStackOptions): Promise<MailStack> {
  const dovecot = await startDovecot({ messages: o.messages, certNames: o.certNames });
  let mailward: RunningMailward | undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'mailward-stack-'));
  const close = async () => {
    const code = (await mailward?.stop()) ?? null;
    mailward?.cleanup();
    await dovecot.stop();
    rmSync(tmp, { recursive: true, force: true });
    return code;
  };
  try {
    mailward = await startMailward({
      routes: o.routes.map((scheme) => `0=${scheme}://127.0.0.1:${dovecot.ports[scheme]}`),
      trustCa: o.trustDovecot === false ? [] : [dovecot.certPath],
      args: o.args,
    });
    const ca = await mailward.cli(['ca', 'export']);
    if (ca.code !== 0) throw new Error(`mailward ca export failed: ${ca.stderr}`);
    const caPath = join(tmp, 'mailward-ca.pem');
    writeFileSync(caPath, ca.stdout);
    return { dovecot, mailward, caPath, caPem: ca.stdout, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** How a client reaches the mail server through Mailward: plain, upgraded with STLS/STARTTLS, or implicit TLS. */
export type ProxyKind = 'pop3' | 'stls' | 'pop3s' | 'imap' | 'starttls' | 'imaps';

/**
 * A curl target through `mailward run`'s listener for the mailbox of `dovecot`: TLS kinds verify against
 * the exported Mailward CA (`caPath`), STLS/STARTTLS use the plain listener with `--ssl-reqd`.
 */
export function proxyTarget(
  s: Pick<MailStack, 'dovecot' | 'mailward' | 'caPath'>,
  kind: ProxyKind,
): CurlTarget {
  const upgraded = kind === 'stls' || kind === 'starttls';
  const scheme = kind === 'stls' ? 'pop3' : kind === 'starttls' ? 'imap' : kind;
  return {
    scheme,
    host: '127.0.0.1',
    port: s.mailward.listener(scheme).port,
    user: s.dovecot.user,
    password: s.dovecot.password,
    cacert: kind === 'pop3' || kind === 'imap' ? undefined : s.caPath,
    sslReqd: upgraded,
  };
}
