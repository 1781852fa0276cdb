import { describe, expect, it } from 'vitest';
import { createShutdown } from './shutdown.ts';

const quietLog = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (m: unknown) => lines.push(String(m)),
    error: (o: any, m?: string) => lines.push(`${m} ${o.step}`),
  };
};

describe('shutdown', () => {
  it('runs every step once, in order, even when one fails, however often quit is asked', async () => {
    const ran: string[] = [];
    const log = quietLog();
    const shutdown = createShutdown(
      [
        { name: 'service', run: async () => void ran.push('service') },
        {
          name: 'broken',
          run: () => {
            throw new Error('boom');
          },
        },
        { name: 'engine', run: () => void ran.push('engine') },
      ],
      log as any,
    );
    await Promise.all([shutdown(), shutdown()]);
    await shutdown();
    expect(ran).toEqual(['service', 'engine']);
    expect(log.lines).toContain('shutdown step failed broken');
  });

  it('a step that hangs is given up on so the app still quits', async () => {
    const ran: string[] = [];
    const log = quietLog();
    const shutdown = createShutdown(
      [
        { name: 'stuck scan', run: () => new Promise<void>(() => {}) },
        { name: 'engine', run: () => void ran.push('engine') },
      ],
      log as any,
      20,
    );
    await shutdown();
    expect(ran).toEqual(['engine']);
    expect(log.lines).toContain('shutdown step did not finish in time stuck scan');
  });
});
