// Starts the headless settings console (HTTP + WebSocket bridge on 127.0.0.1) for a running engine.
// STUB: filled in by the settings UI work (issue 5).
import type { Engine } from '../../main/engine.ts';

export interface ConsoleOptions {
  /** Port on 127.0.0.1; from `--console-port` or the `console.port` setting. */
  port: number;
  host?: string;
  print: (line: string) => void;
  /** Extra API bits the host provides (CA export comes from main/tls). */
  exportCa?: () => Promise<{ pem: string; fingerprint: string; subject: string }>;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

export async function startConsole(_engine: Engine, _opts: ConsoleOptions): Promise<RunningConsole | null> {
  return null;
}
