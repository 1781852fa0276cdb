// `mailward run`: the headless host. STUB: filled in by the POP3/TLS work (issue 3).
import type { Command } from 'commander';
import { withDataDir } from '../options.ts';
import { EXIT } from '../exit-codes.ts';

export function registerRunCommand(program: Command): void {
  withDataDir(program.command('run'))
    .description('run the protection service until SIGINT/SIGTERM')
    .action(() => {
      process.stderr.write('mailward: run is not implemented yet\n');
      process.exitCode = EXIT.error;
    });
}
