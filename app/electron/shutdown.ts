// Clean shutdown, once, whatever asked for it (Quit, OS logout, SIGTERM): each step runs in order, a
// failing step is logged and does not stop the rest, and a step that hangs is given up on after a limit.
import type { Logger } from '../../main/log.ts';

export interface ShutdownStep {
  name: string;
  run: () => void | Promise<void>;
}

/** Longest a step may take (e.g. scans in flight finishing) before shutdown moves on. */
export const SHUTDOWN_STEP_LIMIT_MS = 10_000;

export function createShutdown(
  steps: ShutdownStep[],
  log: Pick<Logger, 'info' | 'error'>,
  limitMs = SHUTDOWN_STEP_LIMIT_MS,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const runAll = async () => {
    for (const step of steps) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), limitMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(step.run), limit]);
        if (outcome === 'late')
          log.error({ step: step.name, limitMs }, 'shutdown step did not finish in time');
      } catch (err) {
        log.error({ step: step.name, err: (err as Error)?.message }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    log.info('Mailward stopped');
  };
  return () => (running ??= runAll());
}
