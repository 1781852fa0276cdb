// `mailward` command line: scan, settings, log, run, ca. Exit codes follow clamscan:
// 0 clean/ok, 1 detection, 2 error, 3 nothing detected but something could not be scanned.
import { Command, CommanderError } from 'commander';
import { registerSettingsCommands } from './commands/settings.ts';
import { registerLogCommand } from './commands/log.ts';
import { registerScanCommand } from './commands/scan.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerCaCommands } from './commands/ca.ts';
import { EXIT } from './exit-codes.ts';

// `mailward log | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const program = new Command();
program
  .name('mailward')
  .description('Mailward email protection: scan mail, run the POP3/IMAP protection service, edit settings')
  .showHelpAfterError()
  .exitOverride();

registerScanCommand(program);
registerSettingsCommands(program);
registerLogCommand(program);
registerRunCommand(program);
registerCaCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.error;
  } else {
    process.stderr.write(`mailward: ${(err as Error).message}\n`);
    process.exitCode = EXIT.error;
  }
}
