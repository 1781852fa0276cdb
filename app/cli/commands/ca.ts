// `mailward ca export` prints the root CA's PEM; `mailward ca fingerprint` its SHA-256 (colon hex).
// The CA is created on first use, so clients can be set up before the service first runs.
import type { Command } from 'commander';
import { ensureDataDir } from '../../../main/data-dir.ts';
import { loadOrCreateCa } from '../../../main/tls/ca.ts';
import { withDataDir } from '../options.ts';

export function registerCaCommands(program: Command): void {
  const ca = program.command('ca').description('the Mailward root CA');
  withDataDir(ca.command('export'))
    .description("print the root CA certificate (PEM) for the mail client's or system's trust store")
    .action((opts: { dataDir?: string }) => {
      process.stdout.write(loadOrCreateCa(ensureDataDir(opts.dataDir)).certPem);
    });
  withDataDir(ca.command('fingerprint'))
    .description('print the SHA-256 fingerprint of the root CA')
    .action((opts: { dataDir?: string }) => {
      process.stdout.write(loadOrCreateCa(ensureDataDir(opts.dataDir)).fingerprint + '\n');
    });
}
