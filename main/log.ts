// Structured events: JSON lines to DATA_DIR/mailward.log, and a readable line per event on stderr.
import pino, { type Logger } from 'pino';
import { join } from 'node:path';
import { Writable } from 'node:stream';

export type { Logger };

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Renders pino's JSON as `HH:MM:SS level event key=value …` for people reading a terminal. */
function readableStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      try {
        const { time, level, msg, pid: _p, hostname: _h, ...rest } = JSON.parse(String(chunk));
        const t = new Date(time).toISOString().slice(11, 19);
        const fields = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(`${t} ${LEVELS[level] ?? level} ${msg ?? ''}${fields ? ' ' + fields : ''}\n`);
      } catch {
        out.write(chunk);
      }
      done();
    },
  });
}

export interface LoggerOptions {
  dataDir?: string;
  /** Write readable lines to stderr (the service does; quiet CLI commands do not). */
  stderr?: boolean;
  level?: string;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (opts.dataDir) {
    streams.push({
      stream: pino.destination({ dest: join(opts.dataDir, 'mailward.log'), mkdir: true, sync: true }),
    });
  }
  if (opts.stderr) streams.push({ stream: readableStream(process.stderr) });
  const level = opts.level ?? process.env.MAILWARD_LOG_LEVEL ?? 'info';
  if (streams.length === 0) return pino({ level: 'silent' });
  return pino(
    { level, redact: { paths: ['password', '*.password', 'pass', '*.pass'], censor: '[redacted]' } },
    pino.multistream(streams.map((s) => ({ ...s, level: level as pino.Level }))),
  );
}
