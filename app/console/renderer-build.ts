// The console serves dist/renderer. A fresh clone has no build yet: build it once (vite) on first start,
// under a lock so parallel starts (tests) do not build over each other.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

/**
 * `vite build` into dist/renderer under the build lock, which every builder of dist/renderer takes (the
 * build empties the folder first). `onlyIfMissing`: skip it when a build is there once the lock is held.
 */
export function buildRenderer({ onlyIfMissing }: { onlyIfMissing: boolean }): void {
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = 'exec "$2" "$3" build --logLevel warn';
  const script = onlyIfMissing ? `[ -f "$1/index.html" ] || ${build}` : build;
  const r = spawnSync(
    'flock',
    ['/tmp/mailward-renderer-build.lock', 'sh', '-c', script, 'sh', RENDERER_DIR, process.execPath, vite],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`could not build the settings UI: ${String(r.stderr).trim()}`);
}

export function ensureRendererBuilt(dir: string, print: (line: string) => void): void {
  if (existsSync(join(dir, 'index.html')) || dir !== RENDERER_DIR) return;
  print('building the settings UI (first start)…');
  // Checked again inside the lock: another start may have built it while we waited.
  buildRenderer({ onlyIfMissing: true });
}
