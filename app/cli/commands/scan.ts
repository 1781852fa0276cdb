// `mailward scan [--json] FILE…`: scan .eml files with the same scanner and limits as the service.
// One line per file: `FILE: CLEAN`, `FILE: INFECTED name, …`, `FILE: UNSCANNABLE reason`.
// Exit: 1 if anything was detected, else 2 if a file could not be read, else 3 if something could not be
// scanned, else 0. A check from the command line changes nothing: no quarantine, no detections log.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ensureDataDir } from '../../../main/data-dir.ts';
import { createLogger } from '../../../main/log.ts';
import { defaultBackends } from '../../../main/scanner/backends.ts';
import { scanMessage } from '../../../main/scanner/scan-message.ts';
import { SettingsStore } from '../../../main/settings/store.ts';
import { withDataDir } from '../options.ts';
import { EXIT } from '../exit-codes.ts';

interface FileOutcome {
  file: string;
  verdict: 'clean' | 'infected' | 'unscannable' | 'error';
  threats: string[];
  unscannable: string[];
  error?: string;
  parts?: unknown;
}

function line(o: FileOutcome): string {
  switch (o.verdict) {
    case 'clean':
      return `${o.file}: CLEAN`;
    case 'infected':
      return `${o.file}: INFECTED ${o.threats.join(', ')}`;
    case 'unscannable':
      return `${o.file}: UNSCANNABLE ${o.unscannable.join('; ')}`;
    default:
      return `${o.file}: ERROR ${o.error}`;
  }
}

export function registerScanCommand(program: Command): void {
  withDataDir(program.command('scan'))
    .argument('<files...>', '.eml files')
    .option('--json', 'one JSON object per file')
    .description('scan .eml files: exit 0 clean, 1 detection, 2 error, 3 something unscannable')
    .action(async (files: string[], opts: { dataDir?: string; json?: boolean }) => {
      const dataDir = ensureDataDir(opts.dataDir);
      const log = createLogger();
      const store = new SettingsStore(dataDir, log);
      for (const w of store.warnings) process.stderr.write(`mailward: ${w}\n`);
      const limits = store.get().scanner.limits;
      store.close();
      const backends = defaultBackends(dataDir, (w) => process.stderr.write(`mailward: signatures: ${w}\n`));
      const outcomes: FileOutcome[] = [];
      for (const file of files) {
        let outcome: FileOutcome;
        try {
          const raw = await readFile(file);
          const { result } = await scanMessage(raw, { backends, limits });
          outcome = {
            file,
            verdict: result.verdict,
            threats: result.threats,
            unscannable: result.unscannable,
            parts: result.parts,
          };
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          const error =
            e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message;
          outcome = { file, verdict: 'error', threats: [], unscannable: [], error };
          process.stderr.write(`mailward: ${file}: ${error}\n`);
        }
        outcomes.push(outcome);
        process.stdout.write((opts.json ? JSON.stringify(outcome) : line(outcome)) + '\n');
      }
      const has = (v: FileOutcome['verdict']) => outcomes.some((o) => o.verdict === v);
      process.exitCode = has('infected')
        ? EXIT.detected
        : has('error')
          ? EXIT.error
          : has('unscannable')
            ? EXIT.unscannable
            : EXIT.ok;
    });
}
