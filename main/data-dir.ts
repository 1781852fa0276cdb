// Where Mailward keeps settings, the CA key, quarantine and logs.
// Same place as the desktop app's userData (Linux: $XDG_CONFIG_HOME/Mailward), so the CLI,
// the headless service and the desktop app share one configuration.
import { mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAILWARD_DATA_DIR) return env.MAILWARD_DATA_DIR;
  if (platform() === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Mailward');
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Mailward');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Mailward');
}

/** Resolve (`--data-dir` wins over MAILWARD_DATA_DIR over the default) and create it, private to the user. */
export function ensureDataDir(explicit?: string): string {
  const dir = explicit ?? defaultDataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
