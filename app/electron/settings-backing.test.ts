// The desktop host (electron-store) and the CLI/headless service (`conf`) keep settings in one file:
// a change saved by either is read back identically by the other, byte for byte the same format.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Store from 'electron-store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../main/engine.ts';
import { confBacking, SettingsStore } from '../../main/settings/store.ts';
import { electronStoreBacking } from './settings-backing.ts';
import * as electron from './test/fake-electron.ts';

vi.mock('electron', () => import('./test/fake-electron.ts'));

const POP3 = 'webAndEmail.emailClientProtection.emailProtocols.pop3.enabled';
const SUBJECT = 'webAndEmail.emailClientProtection.alerts.subjectTemplate';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailward-backing-'));
  // electron-store's own default folder; the data dir passed in must win over it.
  electron.app.setPath('userData', join(dir, 'not-here'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const desktopStore = () => new SettingsStore(dir, undefined, electronStoreBacking);
const cliStore = () => new SettingsStore(dir);
const file = () => readFileSync(join(dir, 'config.json'), 'utf8');

describe('settings file shared by the desktop app and the CLI', () => {
  it('the desktop backing is a real electron-store on <dataDir>/config.json, the CLI one is conf', () => {
    const desktop = electronStoreBacking(dir);
    expect(desktop).toBeInstanceOf(Store);
    expect(desktop.path).toBe(join(dir, 'config.json'));
    // electron-store ran its main-process setup against (fake) Electron: it really is the Electron path.
    expect(electron.ipcMain.listenerCount('electron-store-get-data')).toBe(1);
    const cli = confBacking(dir);
    expect(cli).not.toBeInstanceOf(Store);
    expect(cli.path).toBe(desktop.path);
  });

  it('a change saved by the desktop app reads back the same in the CLI, in the same bytes', () => {
    const desktop = desktopStore();
    expect(desktop.setText(POP3, 'off').ok).toBe(true);
    expect(desktop.setText(SUBJECT, '[virus %DETECTIONNAME%] ünïcødé').ok).toBe(true);
    const written = file();

    const cli = cliStore();
    expect(cli.warnings).toEqual([]);
    expect(cli.get()).toEqual(desktop.get());
    expect(cli.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    expect(cli.get().webAndEmail.emailClientProtection.alerts.subjectTemplate).toBe(
      '[virus %DETECTIONNAME%] ünïcødé',
    );
    // Opening it under conf rewrote the same settings: not a byte changed.
    expect(file()).toBe(written);
  });

  it('a change saved by the CLI reads back the same in the desktop app, in the same bytes', () => {
    const cli = cliStore();
    expect(cli.setText(POP3, 'false').ok).toBe(true);
    const written = file();

    const desktop = desktopStore();
    expect(desktop.warnings).toEqual([]);
    expect(desktop.get()).toEqual(cli.get());
    expect(desktop.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    expect(file()).toBe(written);
  });

  it('the running desktop app sees a CLI `settings set` through the file watch', async () => {
    const desktop = desktopStore();
    desktop.watchFile();
    const changed = new Promise((resolve) => desktop.once('change', resolve));
    cliStore().setText(POP3, 'off');
    await changed;
    expect(desktop.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    desktop.close();
  });

  it('a corrupt file is moved aside before electron-store opens it, and defaults load', () => {
    const broken = '{ "webAndEmail": ';
    writeFileSync(join(dir, 'config.json'), broken);
    const desktop = desktopStore();
    expect(desktop.warnings[0]).toMatch(/moved to .*config\.json\.invalid-/);
    expect(desktop.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(true);
    expect(JSON.parse(file())).toEqual(desktop.get());
  });

  it('the engine passes the backing through to its settings store', () => {
    const backing = vi.fn(electronStoreBacking);
    const engine = new Engine({ dataDir: dir, settingsBacking: backing });
    expect(backing).toHaveBeenCalledExactlyOnceWith(dir);
    expect(backing.mock.results[0].value).toBeInstanceOf(Store);
    engine.settings.setText(POP3, 'off');
    expect(cliStore().get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    engine.close();
  });
});
