import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine.ts';
import { keepPauseAcrossRestarts, PAUSE_STATE_FILE, readPausedUntil } from './pause-state.ts';

describe('pause state across restarts', () => {
  let dir: string;
  const engines: Engine[] = [];
  const start = () => {
    const e = new Engine({ dataDir: dir });
    engines.push(e);
    return e;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailward-pause-'));
  });
  afterEach(() => {
    for (const e of engines.splice(0)) e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a 1-hour pause is still on after a restart, ending at the same time', () => {
    const first = start();
    keepPauseAcrossRestarts(first, dir);
    first.pause(60 * 60_000);
    const until = first.status().pausedUntil;
    first.close();

    const second = start();
    keepPauseAcrossRestarts(second, dir);
    expect(second.isPaused()).toBe(true);
    // Same end, give or take the milliseconds between reading the clock twice.
    expect(Math.abs(Date.parse(second.status().pausedUntil!) - Date.parse(until!))).toBeLessThan(1000);
  });

  it('"until restart" ends with the restart', () => {
    const first = start();
    keepPauseAcrossRestarts(first, dir);
    first.pause(null);
    expect(first.isPaused()).toBe(true);
    const second = start();
    keepPauseAcrossRestarts(second, dir);
    expect(second.isPaused()).toBe(false);
  });

  it('resuming clears the saved pause', () => {
    const first = start();
    keepPauseAcrossRestarts(first, dir);
    first.pause(10 * 60_000);
    first.resume();
    expect(readPausedUntil(dir)).toBeNull();
    const second = start();
    keepPauseAcrossRestarts(second, dir);
    expect(second.isPaused()).toBe(false);
  });

  it('a pause that ended while the app was closed is not re-applied', () => {
    writeFileSync(
      join(dir, PAUSE_STATE_FILE),
      JSON.stringify({ pausedUntil: new Date(Date.now() - 1000).toISOString() }),
    );
    const e = start();
    keepPauseAcrossRestarts(e, dir);
    expect(e.isPaused()).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, PAUSE_STATE_FILE), 'utf8'))).toEqual({ pausedUntil: null });
  });

  it('a corrupt state file never keeps protection off', () => {
    writeFileSync(join(dir, PAUSE_STATE_FILE), '{"pausedUntil": 12');
    const e = start();
    keepPauseAcrossRestarts(e, dir);
    expect(e.isPaused()).toBe(false);
  });
});
