// `mailward ca export` prints the root CA's PEM; `mailward ca fingerprint` its SHA-256 (colon hex);
// `mailward ca install` puts it into Thunderbird profiles and the system store.
// The CA is created on first use, so clients can be set up before the service first runs.
import type { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDataDir } from '../../../main/data-dir.ts';
import { loadOrCreateCa } from '../../../main/tls/ca.ts';
import {
  DEBIAN_SYSTEM_STORE,
  findThunderbirdProfiles,
  installInSystemStore,
  installInThunderbird,
  thunderbirdRoots,
  type InstallResult,
} from '../../../main/tls/install-ca.ts';
import { EXIT } from '../exit-codes.ts';
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
  withDataDir(ca.command('install'))
    .description(
      'trust the root CA in every Thunderbird profile found and in the system store (both by default)',
    )
    .option('--thunderbird', 'only Thunderbird profiles')
    .option('--system', 'only the system store (Debian/Ubuntu; needs root)')
    .option(
      '--profiles-dir <dir...>',
      'look for Thunderbird profiles in these folders instead of the usual ones',
    )
    .action(
      async (opts: { dataDir?: string; thunderbird?: boolean; system?: boolean; profilesDir?: string[] }) => {
        const root = loadOrCreateCa(ensureDataDir(opts.dataDir));
        const both = !opts.thunderbird && !opts.system;
        const results: InstallResult[] = [];
        if (both || opts.thunderbird) {
          const roots = opts.profilesDir ?? thunderbirdRoots();
          const profiles = findThunderbirdProfiles(roots);
          if (profiles.length === 0)
            process.stdout.write(`thunderbird: no profiles found in ${roots.join(', ')}\n`);
          const tmp = mkdtempSync(join(tmpdir(), 'mailward-ca-'));
          try {
            writeFileSync(join(tmp, 'ca.pem'), root.certPem);
            results.push(...(await installInThunderbird(root, join(tmp, 'ca.pem'), profiles)));
          } finally {
            rmSync(tmp, { recursive: true, force: true });
          }
        }
        if (both || opts.system) results.push(await installInSystemStore(root, DEBIAN_SYSTEM_STORE));
        for (const r of results) process.stdout.write(`${r.target}: ${r.ok ? '' : 'FAILED '}${r.message}\n`);
        if (results.some((r) => !r.ok)) process.exitCode = EXIT.error;
      },
    );
}
