import type { Command } from 'commander';

/** `--data-dir` is accepted by every command. */
export function withDataDir(cmd: Command): Command {
  return cmd.option('--data-dir <dir>', "data directory (default: MAILWARD_DATA_DIR or the desktop app's)");
}
