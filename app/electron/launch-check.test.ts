import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { currentLaunchFacts, desktopUnavailable, type LaunchFacts } from './launch-check.ts';

const desktopLinux: LaunchFacts = {
  platform: 'linux',
  env: { DISPLAY: ':0' },
  uid: 1000,
  electronBinary: '/x/node_modules/electron/dist/electron',
  binaryExists: () => true,
};

describe('npm start: desktop app or headless service', () => {
  it('starts the desktop app with a binary, a display and an ordinary user', () => {
    expect(desktopUnavailable(desktopLinux)).toBeNull();
    expect(desktopUnavailable({ ...desktopLinux, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeNull();
    expect(desktopUnavailable({ ...desktopLinux, platform: 'win32', env: {}, uid: null })).toBeNull();
  });

  it('falls back with one line naming the reason', () => {
    const cases: [Partial<LaunchFacts>, RegExp][] = [
      [{ electronBinary: null }, /Electron's binary is not installed/],
      [{ binaryExists: () => false }, /Electron's binary is not installed/],
      [{ env: {} }, /no display \(DISPLAY and WAYLAND_DISPLAY are unset\)/],
      [{ uid: 0 }, /Electron does not run as root/],
    ];
    for (const [change, reason] of cases) {
      const line = desktopUnavailable({ ...desktopLinux, ...change });
      expect(line).toMatch(reason);
      expect(line).toMatch(/; running the headless service with the settings console instead$/);
      expect(line).not.toContain('\n');
    }
  });

  it('the check script prints exactly that one line and fails, or says nothing and succeeds', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const expected = desktopUnavailable(currentLaunchFacts(root));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'app/electron/can-run-desktop.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: r.status, stdout: r.stdout }).toEqual(
      expected ? { status: 1, stdout: `${expected}\n` } : { status: 0, stdout: '' },
    );
  });
});
