// `mailward log [--json]`: the detections log.
import type { Command } from 'commander';
import { ensureDataDir } from '../../../main/data-dir.ts';
import { DetectionsLog } from '../../../main/detections/log.ts';
import { withDataDir } from '../options.ts';

export function registerLogCommand(program: Command): void {
  withDataDir(program.command('log'))
    .description('print the detections log')
    .option('--json', 'one JSON object per line')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const records = new DetectionsLog(ensureDataDir(opts.dataDir)).list();
      for (const r of records) {
        if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
        else
          process.stdout.write(
            `${r.time}  ${r.threats.join(', ')}  action=${r.action}  ${r.protocol} ${r.server}  from=${r.from ?? '-'}  subject=${JSON.stringify(r.subject ?? '')}` +
              (r.quarantineId ? `  quarantine=${r.quarantineId}` : '') +
              '\n',
          );
      }
      if (!opts.json && records.length === 0) process.stdout.write('no detections\n');
    });
}
