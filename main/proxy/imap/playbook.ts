// Test harness for the IMAP layer (style: mitmproxy's tutils playbooks): feed bytes from either side,
// read what the layer sent each way. No sockets; a fake cleaner stands in for the scanner pipeline.
import { defaultSettings } from '../../../shared/settings/index.ts';
import type { ProcessedMessage } from '../../pipeline/types.ts';
import type { LayerContext, ProxyCommand } from '../layer.ts';
import { CleanedCache } from './cleaned-cache.ts';
import { ImapLayer } from './layer.ts';

export const VIRUS = Buffer.from('VIRUS-VIRUS-VIRUS!').toString('base64');
export const NOTICE = Buffer.from('removed-by-notice!').toString('base64');

/** A multipart message whose second part (base64) is "infected". */
export function sampleMessage(payload = VIRUS): Buffer {
  return Buffer.from(
    'From: a@example.com\r\nTo: b@example.com\r\nSubject: test\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="XX"\r\n\r\npreamble\r\n' +
      '--XX\r\nContent-Type: text/plain\r\n\r\nHello there\r\n' +
      '--XX\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      `${payload}\r\n--XX--\r\n`,
  );
}

export type Cleaner = (raw: Buffer) => Promise<ProcessedMessage>;

export function result(raw: Buffer, output: Buffer = raw, sizePreserved = true): ProcessedMessage {
  const modified = !output.equals(raw);
  return {
    output,
    modified,
    detectionIds: [],
    scan: {
      verdict: modified ? 'infected' : 'clean',
      parts: [],
      threats: modified ? ['Test.Virus'] : [],
      unscannable: [],
      bytes: raw.length,
      durationMs: 0,
    },
    sizePreserved,
  };
}

/** Replaces the virus by a notice of the same length (size-preserving cleaning). */
export const sameSizeCleaner: Cleaner = async (raw) => {
  const s = raw.toString('latin1');
  return result(raw, Buffer.from(s.split(VIRUS).join(NOTICE), 'latin1'), true);
};

/** Replaces the virus by a shorter notice (the notice did not fit). */
export const shrinkingCleaner: Cleaner = async (raw) => {
  const s = raw.toString('latin1');
  const out = Buffer.from(s.split(VIRUS).join('Zm9v'), 'latin1');
  return result(raw, out, out.length === raw.length);
};

export interface Playbook {
  layer: ImapLayer;
  commands: ProxyCommand[];
  scans: Buffer[];
  client(s: string | Buffer): void;
  server(s: string | Buffer): void;
  /** Bytes sent to the client since the last call. */
  toClient(): string;
  /** Bytes sent to the server since the last call. */
  toServer(): string;
  logs(): string[];
  settle(): Promise<void>;
}

export function playbook(
  opts: { clean?: Cleaner; filtering?: boolean; cache?: CleanedCache } = {},
): Playbook {
  const commands: ProxyCommand[] = [];
  const scans: Buffer[] = [];
  const clean = opts.clean ?? sameSizeCleaner;
  const ctx: LayerContext = {
    session: {
      id: 's1',
      protocol: 'imap',
      serverHost: 'mail.example.com',
      serverPort: 143,
      clientAddress: '127.0.0.1',
      clientTls: false,
      serverTls: false,
    },
    emit: (c) => commands.push(c),
    processMessage: (raw) => {
      scans.push(raw);
      return clean(raw);
    },
    settings: defaultSettings,
    filtering: opts.filtering ?? true,
  };
  const layer = new ImapLayer(ctx, opts.cache ?? new CleanedCache());
  const taken = { toClient: 0, toServer: 0 };
  const take = (type: 'toClient' | 'toServer'): string => {
    const sent = commands.filter((c) => c.type === type) as { data: Buffer }[];
    const out = Buffer.concat(sent.slice(taken[type]).map((c) => c.data)).toString('latin1');
    taken[type] = sent.length;
    return out;
  };
  return {
    layer,
    commands,
    scans,
    client: (s) => layer.onClientData(Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1')),
    server: (s) => layer.onServerData(Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1')),
    toClient: () => take('toClient'),
    toServer: () => take('toServer'),
    logs: () => commands.flatMap((c) => (c.type === 'log' ? [c.event] : [])),
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

/** `{n}\r\n` + data, as a server sends a literal. */
export function literal(data: Buffer | string): string {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  return `{${b.length}}\r\n${b.toString('latin1')}`;
}
