// `mailward settings get [KEY]` / `mailward settings set KEY VALUE`.
// VALUE is the same text the UI accepts; invalid input exits 2 with the schema's message and changes nothing.
import type { Command } from 'commander';
import { formatTextValue, getAtPath, settingKeys } from '../../../shared/settings/index.ts';
import { ensureDataDir } from '../../../main/data-dir.ts';
import { SettingsStore } from '../../../main/settings/store.ts';
import { createLogger } from '../../../main/log.ts';
import { EXIT } from '../exit-codes.ts';
import { withDataDir } from '../options.ts';

function openStore(dataDir?: string): SettingsStore {
  const dir = ensureDataDir(dataDir);
  const store = new SettingsStore(dir, createLogger({ dataDir: dir }));
  for (const w of store.warnings) process.stderr.write(`warning: ${w}\n`);
  return store;
}

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('read and change settings');

  withDataDir(settings.command('get'))
    .argument('[key]', 'dot path of a setting, or a prefix of one; all settings when omitted')
    .option('--json', 'print JSON')
    .description('print settings as KEY = VALUE lines')
    .action((key: string | undefined, opts: { dataDir?: string; json?: boolean }) => {
      const store = openStore(opts.dataDir);
      const current = store.get();
      const keys = settingKeys().filter((k) => !key || k === key || k.startsWith(`${key}.`));
      if (keys.length === 0) {
        process.stderr.write(`mailward: unknown setting "${key}"\n`);
        process.exitCode = EXIT.error;
        return;
      }
      if (opts.json) {
        const value = key ? getAtPath(current, key) : current;
        process.stdout.write(JSON.stringify(value, null, 2) + '\n');
      } else if (key && keys.length === 1 && keys[0] === key) {
        process.stdout.write(formatTextValue(key, getAtPath(current, key)) + '\n');
      } else {
        for (const k of keys) process.stdout.write(`${k} = ${formatTextValue(k, getAtPath(current, k))}\n`);
      }
    });

  withDataDir(settings.command('set'))
    .argument('<key>', 'dot path of a setting')
    .argument('<value>', 'the value as text, as typed in the settings window ("585, 993", true, never)')
    .description('change one setting; the running service applies it live')
    .action((key: string, value: string, opts: { dataDir?: string }) => {
      const store = openStore(opts.dataDir);
      const result = store.setText(key, value);
      if (!result.ok) {
        for (const e of result.errors) process.stderr.write(`mailward: ${e.key}: ${e.message}\n`);
        process.exitCode = EXIT.error;
        return;
      }
      process.stdout.write(`${key} = ${formatTextValue(key, getAtPath(result.settings, key))}\n`);
    });
}
