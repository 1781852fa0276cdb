// `mailward run [--data-dir DIR] [--route LISTEN=UPSTREAM]… [--trust-ca FILE]… [--console-port PORT] [--no-console]`:
// the headless host. Prints one `listening …` line per listener on stdout, logs to DATA_DIR/mailward.log
// and readably to stderr, and runs until SIGINT/SIGTERM, then closes listeners, ends sessions, exits 0.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../../../main/engine.ts';
import { parseRoute } from '../../../main/proxy/routes.ts';
import { startService } from '../../service/index.ts';
import { EXIT } from '../exit-codes.ts';
import { withDataDir } from '../options.ts';

interface RunOptions {
  dataDir?: string;
  route?: string[];
  trustCa?: string[];
  consolePort?: string;
  console: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function fail(message: string): void {
  process.stderr.write(`mailward: ${message}\n`);
  process.exitCode = EXIT.error;
}

export function registerRunCommand(program: Command): void {
  withDataDir(program.command('run'))
    .description('run the protection service until SIGINT/SIGTERM')
    .option(
      '--route <LISTEN=UPSTREAM>',
      'listener, e.g. 2995=pop3s://mail.example.com:995 (repeatable)',
      collect,
    )
    .option(
      '--trust-ca <file>',
      'trust this CA for upstream servers, on top of the system store (repeatable)',
      collect,
    )
    .option(
      '--console-port <port>',
      'port of the settings console on 127.0.0.1 (default: console.port setting)',
    )
    .option('--no-console', 'do not start the settings console')
    .action(async (opts: RunOptions) => {
      const routes = opts.route ?? [];
      for (const r of routes) {
        try {
          parseRoute(r);
        } catch (err) {
          return fail((err as Error).message);
        }
      }
      const trustCa = (opts.trustCa ?? []).map((f) => resolve(f));
      const missing = trustCa.find((f) => !existsSync(f));
      if (missing) return fail(`--trust-ca: cannot read ${missing}`);
      let consolePort: number | null | undefined;
      if (!opts.console) consolePort = null;
      else if (opts.consolePort !== undefined) {
        consolePort = Number(opts.consolePort);
        if (!Number.isInteger(consolePort) || consolePort < 0 || consolePort > 65535)
          return fail(`--console-port: "${opts.consolePort}" is not a port number`);
      }

      const engine = new Engine({ dataDir: opts.dataDir, logToStderr: true });
      const print = (line: string) => process.stdout.write(line + '\n');
      let service: Awaited<ReturnType<typeof startService>>;
      try {
        service = await startService(engine, { routes, trustCa, print, consolePort });
      } catch (err) {
        engine.close();
        return fail(`cannot start the service: ${(err as Error).message}`);
      }
      engine.log.info({ dataDir: engine.dataDir, listeners: service.listeners().length }, 'service started');
      if (service.listeners().length === 0)
        engine.log.warn('no routes: add --route LISTEN=UPSTREAM or the routes setting');

      await new Promise<void>((done) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          engine.log.info({ signal }, 'stopping');
          service
            .close()
            .catch((err) => engine.log.error({ err: (err as Error).message }, 'error while stopping'))
            .finally(() => {
              engine.close();
              done();
            });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      process.exitCode = EXIT.ok;
    });
}
