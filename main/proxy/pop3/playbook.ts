// Playbook harness for sans-I/O layer tests (style: mitmproxy's tutils): feed bytes from either side,
// read back what the layer sent and which commands it gave. No sockets.
import type { LayerContext, ProxyCommand, ProxyLayer } from '../layer.ts';
import type { ProcessMessage, ProcessedMessage } from '../../pipeline/types.ts';
import { defaultSettings, type Settings } from '../../../shared/settings/index.ts';

export const cleanResult = (raw: Buffer): ProcessedMessage => ({
  output: raw,
  modified: false,
  sizePreserved: true,
  detectionIds: [],
  scan: { verdict: 'clean', parts: [], threats: [], unscannable: [], bytes: raw.length, durationMs: 0 },
});

export interface PlaybookOptions {
  processMessage?: ProcessMessage;
  settings?: Settings;
  filtering?: boolean;
}

export class Playbook {
  readonly commands: ProxyCommand[] = [];
  readonly scanned: Buffer[] = [];
  readonly layer: ProxyLayer;
  readonly ctx: LayerContext;

  constructor(factory: (ctx: LayerContext) => ProxyLayer, opts: PlaybookOptions = {}) {
    const settings = opts.settings ?? defaultSettings();
    const process: ProcessMessage = opts.processMessage ?? (async (raw) => cleanResult(raw));
    this.ctx = {
      session: {
        id: 'test',
        protocol: 'pop3',
        serverHost: 'mail.example.com',
        serverPort: 110,
        clientAddress: '127.0.0.1:50000',
        clientTls: false,
        serverTls: false,
      },
      emit: (c) => this.commands.push(c),
      processMessage: (raw, mctx, signal) => {
        this.scanned.push(raw);
        return process(raw, mctx, signal);
      },
      settings: () => settings,
      filtering: opts.filtering ?? true,
    };
    this.layer = factory(this.ctx);
  }

  server(data: string | Buffer): this {
    this.layer.onServerData(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    return this;
  }

  client(data: string | Buffer): this {
    this.layer.onClientData(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    return this;
  }

  /** Everything sent to the client so far, as one buffer. */
  toClient(): Buffer {
    return Buffer.concat(this.commands.flatMap((c) => (c.type === 'toClient' ? [c.data] : [])));
  }

  toServer(): Buffer {
    return Buffer.concat(this.commands.flatMap((c) => (c.type === 'toServer' ? [c.data] : [])));
  }

  /** Command types other than data and logs, in order: ['upgradeServerTls', 'close', …]. */
  actions(): string[] {
    return this.commands
      .filter((c) => c.type !== 'toClient' && c.type !== 'toServer' && c.type !== 'log')
      .map((c) => c.type);
  }

  logs(): string[] {
    return this.commands.flatMap((c) => (c.type === 'log' ? [c.event] : []));
  }

  /** Let pending scans (promises) finish. */
  async settle(): Promise<this> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    return this;
  }
}
