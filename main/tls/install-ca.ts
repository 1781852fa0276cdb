// Installing the Mailward root CA where mail clients look for trust: every Thunderbird profile found
// (Thunderbird keeps its own NSS store and ignores the system's; certutil from libnss3-tools) and the
// Debian/Ubuntu system store. Users of other suites import it by hand; we offer it as one command.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RootCa } from './ca.ts';

const run = promisify(execFile);

export interface InstallResult {
  target: string;
  ok: boolean;
  message: string;
}

/** Where Thunderbird keeps profiles on Linux: the classic folder, the snap and the flatpak. */
export function thunderbirdRoots(home = homedir()): string[] {
  return [
    join(home, '.thunderbird'),
    join(home, 'snap', 'thunderbird', 'common', '.thunderbird'),
    join(home, '.var', 'app', 'org.mozilla.Thunderbird', '.thunderbird'),
  ];
}

/** Profile folders: those holding an NSS database (cert9.db) or Thunderbird's prefs.js. */
export function findThunderbirdProfiles(roots: string[]): string[] {
  return roots.flatMap((root) => {
    if (!existsSync(root)) return [];
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(root, d.name))
      .filter((dir) => existsSync(join(dir, 'cert9.db')) || existsSync(join(dir, 'prefs.js')));
  });
}

/** Add the CA to each profile's NSS store, trusted to identify servers and mail users ("C,C,"). */
export async function installInThunderbird(
  ca: RootCa,
  pemPath: string,
  profiles: string[],
): Promise<InstallResult[]> {
  const results: InstallResult[] = [];
  for (const profile of profiles) {
    try {
      await run('certutil', ['-A', '-n', ca.subject, '-t', 'C,C,', '-i', pemPath, '-d', `sql:${profile}`]);
      results.push({
        target: `thunderbird ${profile}`,
        ok: true,
        message: 'installed (restart Thunderbird)',
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      const message =
        e.code === 'ENOENT'
          ? 'certutil not found: install libnss3-tools'
          : (e.stderr?.trim() || e.message).split('\n')[0];
      results.push({ target: `thunderbird ${profile}`, ok: false, message });
    }
  }
  return results;
}

export interface SystemStore {
  /** Folder of extra CA certificates (Debian: /usr/local/share/ca-certificates). */
  dir: string;
  /** Command that rebuilds the system bundle (Debian: update-ca-certificates). */
  update: string[];
}

export const DEBIAN_SYSTEM_STORE: SystemStore = {
  dir: '/usr/local/share/ca-certificates',
  update: ['update-ca-certificates'],
};

/** Add the CA to the system store (needs root); the file name carries the install-unique suffix. */
export async function installInSystemStore(ca: RootCa, store: SystemStore): Promise<InstallResult> {
  const file = join(store.dir, `${ca.subject.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.crt`);
  try {
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(file, ca.certPem, { mode: 0o644 });
    await run(store.update[0], store.update.slice(1));
    return { target: `system ${file}`, ok: true, message: 'installed' };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message =
      e.code === 'EACCES' || e.code === 'EPERM'
        ? `permission denied: run as root (sudo mailward ca install --system)`
        : e.message.split('\n')[0];
    return { target: `system ${file}`, ok: false, message };
  }
}
