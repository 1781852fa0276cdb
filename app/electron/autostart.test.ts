import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyAutostart, linuxAutostartEntry, linuxAutostartFile } from './autostart.ts';
import * as electron from './test/fake-electron.ts';

vi.mock('electron', () => import('./test/fake-electron.ts'));

describe('start at login', () => {
  let config: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    electron.resetFakeElectron();
    config = mkdtempSync(join(tmpdir(), 'mailward-xdg-'));
    env = { XDG_CONFIG_HOME: config, APPIMAGE: '/home/u/Apps/Mailward.AppImage' };
  });
  afterEach(() => rmSync(config, { recursive: true, force: true }));

  it('a development run never registers itself', () => {
    applyAutostart(true, env);
    expect(existsSync(linuxAutostartFile(env))).toBe(false);
    expect(electron.app.loginItem).toBeNull();
  });

  it.runIf(process.platform === 'linux')(
    'a packaged build on Linux writes and removes an XDG autostart entry',
    () => {
      electron.app.isPackaged = true;
      applyAutostart(true, env);
      const text = readFileSync(join(config, 'autostart', 'mailward.desktop'), 'utf8');
      expect(text).toContain('Exec="/home/u/Apps/Mailward.AppImage" --hidden');
      applyAutostart(false, env);
      expect(existsSync(join(config, 'autostart', 'mailward.desktop'))).toBe(false);
    },
  );

  it('the Exec line quotes paths with spaces and shell characters', () => {
    expect(linuxAutostartEntry('/opt/My Apps/mail$ward')).toContain(
      'Exec="/opt/My Apps/mail\\$ward" --hidden',
    );
  });
});
