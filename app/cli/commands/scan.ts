// `mailward scan [--json] FILE…`. STUB: filled in by the scanner work (issue 2).
import type { Command } from 'commander';
import { withDataDir } from '../options.ts';
import { EXIT } from '../exit-codes.ts';

export function registerScanCommand(program: Command): void {
  withDataDir(program.command('scan'))
    .argument('<files...>', '.eml files')
    .option('--json', 'JSON output')
    .description('scan .eml files: exit 0 clean, 1 detection, 2 error, 3 something unscannable')
    .action(() => {
      process.stderr.write('mailward: scan is not implemented yet\n');
      process.exitCode = EXIT.error;
    });
}
