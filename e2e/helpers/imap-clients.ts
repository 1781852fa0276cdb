// IMAP clients for end-to-end tests and benchmarks: curl fetching many UIDs in one session, and an
// imapflow session behaving like Thunderbird (STARTTLS, SELECT, listings, chunked and per-part reads).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { curlArgs, run, type CurlFetch, type CurlTarget } from './clients.ts';

/**
 * `UID FETCH uid BODY[]` for every uid of INBOX in ONE curl process: curl reuses the connection for
 * URLs to the same server, so this is one IMAP session.
 */
export async function curlImapFetch(t: CurlTarget, uids: number[], mailbox = 'INBOX'): Promise<CurlFetch> {
  const dir = mkdtempSync(join(tmpdir(), 'mailward-curl-imap-'));
  try {
    const base = `${t.scheme}://${t.host}:${t.port}/${mailbox}`;
    const cfg = uids.map((u) => `url = "${base};UID=${u}"\noutput = "${join(dir, `${u}.eml`)}"\n`).join('');
    writeFileSync(join(dir, 'curl.cfg'), cfg);
    const r = await run('curl', [...curlArgs(t), '--config', join(dir, 'curl.cfg')]);
    const messages = uids.map((u) => {
      try {
        return readFileSync(join(dir, `${u}.eml`));
      } catch {
        return undefined;
      }
    });
    return { code: r.code, stderr: r.stderr, messages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImapFlowTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Implicit TLS; otherwise STARTTLS is required (as Thunderbird's "STARTTLS" setting does). */
  secure: boolean;
  /** CA to verify the server with (the exported Mailward CA through the proxy). */
  ca: string;
  /** Print the IMAP conversation (debugging a test). */
  debug?: boolean;
}

/** A connected, logged-in imapflow client (no logging, no automatic IDLE). */
export async function imapflowConnect(t: ImapFlowTarget): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: t.host,
    port: t.port,
    secure: t.secure,
    doSTARTTLS: t.secure ? undefined : true,
    auth: { user: t.user, pass: t.password },
    tls: { ca: [t.ca], servername: 'localhost' },
    logger: t.debug
      ? {
          debug: (o: { msg?: string }) => o.msg && console.log('imap', o.msg.slice(0, 300)),
          info() {},
          warn: console.warn,
          error: console.error,
        }
      : false,
    disableAutoIdle: true,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  await client.connect();
  return client;
}

/** The whole message read the way Thunderbird reads large messages: `BODY.PEEK[]<offset.length>` chunks. */
export async function fetchInChunks(client: ImapFlow, uid: number, chunk = 65536): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let start = 0; ; start += chunk) {
    const msg = await client.fetchOne(String(uid), { source: { start, maxLength: chunk } }, { uid: true });
    const data = msg ? msg.source : undefined;
    if (!data) throw new Error(`no data for UID ${uid} at ${start}`);
    parts.push(data);
    if (data.length < chunk) break;
  }
  return Buffer.concat(parts);
}
