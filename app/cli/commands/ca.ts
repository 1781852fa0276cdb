// `mailward ca export|fingerprint`. STUB: filled in by the TLS work (issue 3).
import type { Command } from 'commander';

export function registerCaCommands(program: Command): void {
  program.command('ca').description('the Mailward root CA');
}
