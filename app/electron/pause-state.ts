// Timed pauses survive a restart: the end of a timed pause is kept in the data dir and re-applied at start.
// "Until restart" is deliberately not kept (that is what it means), nor is anything after a resume.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProtectionStatus } from '../../shared/events.ts';

export const PAUSE_STATE_FILE = 'desktop-pause.json';

interface PausePersistence {
  /** End of a timed pause (ISO), or null when protection is not paused for a time. */
  pausedUntil: string | null;
}

/** What the engine offers for pausing (main/engine.ts). */
export interface Pausable {
  pause(ms: number | null): void;
  on(event: 'status', listener: (status: ProtectionStatus) => void): unknown;
  off(event: 'status', listener: (status: ProtectionStatus) => void): unknown;
}

export function readPausedUntil(dataDir: string): number | null {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, PAUSE_STATE_FILE), 'utf8')) as PausePersistence;
    const until = typeof raw?.pausedUntil === 'string' ? Date.parse(raw.pausedUntil) : NaN;
    return Number.isFinite(until) ? until : null;
  } catch {
    // Missing or unreadable: not paused. A broken state file must never keep protection off.
    return null;
  }
}

export function writePausedUntil(dataDir: string, until: string | null): void {
  const path = join(dataDir, PAUSE_STATE_FILE);
  const body: PausePersistence = { pausedUntil: until };
  // Write then rename, so a crash mid-write leaves the old state rather than half a file.
  writeFileSync(`${path}.tmp`, JSON.stringify(body) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/**
 * Re-applies a timed pause that has not ended yet, then keeps the file in step with the engine's
 * status events (tray, UI and timers all go through engine.pause/resume). Returns the unsubscribe.
 */
export function keepPauseAcrossRestarts(engine: Pausable, dataDir: string, now = Date.now()): () => void {
  const until = readPausedUntil(dataDir);
  if (until !== null && until > now) engine.pause(until - now);
  else writePausedUntil(dataDir, null);
  const onStatus = (status: ProtectionStatus) =>
    writePausedUntil(dataDir, status.paused ? status.pausedUntil : null);
  engine.on('status', onStatus);
  return () => engine.off('status', onStatus);
}
