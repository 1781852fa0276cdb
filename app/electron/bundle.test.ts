// The built bundles, not the sources: `npm run build:electron` output boots under the fake electron
// (ESM main with its CommonJS dependencies), uses the userData folder named Mailward, keeps settings
// with electron-store in the file the CLI reads, quits cleanly,
// and the sandboxed preload requires nothing but 'electron' and exposes exactly the API.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings/store.ts';
import { API_METHODS } from '../../shared/api.ts';
import * as electron from './test/fake-electron.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fakeUrl = pathToFileURL(join(root, 'app/electron/test/fake-electron.ts')).href;
let tmp: string;
let out: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mailward-bundle-'));
  out = join(tmp, 'electron');
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'app/electron/build.ts')], {
    cwd: root,
    env: { ...process.env, MAILWARD_BUILD_OUT: out },
    stdio: 'pipe',
  });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('built desktop bundles', () => {
  it('main, preload and the tray icons are built', () => {
    for (const f of [
      'main.mjs',
      'preload.cjs',
      'assets/icon.png',
      'assets/tray-protected.png',
      'assets/tray-paused.png',
      'assets/tray-problem.png',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    // The preload carries channel names, not the schema library: it stays small.
    expect(statSync(join(out, 'preload.cjs')).size).toBeLessThan(10_000);
  });

  it('main.mjs starts the app on the Mailward data dir and quits cleanly from the tray', () => {
    const hooks = join(tmp, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(s, c, next) { return next(s === 'electron' ? ${JSON.stringify(fakeUrl)} : s, c); }\n`,
    );
    const driver = join(tmp, 'driver.mjs');
    writeFileSync(
      driver,
      `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const fake = await import(${JSON.stringify(fakeUrl)});
await import(${JSON.stringify(pathToFileURL(join(out, 'main.mjs')).href)});
while (fake.Tray.all.length === 0 || fake.BrowserWindow.all.length === 0) await new Promise((r) => setTimeout(r, 20));
const win = fake.BrowserWindow.all[0];
const state = { userData: fake.app.getPath('userData'), preload: win.options.webPreferences.preload, sandbox: win.options.webPreferences.sandbox, loaded: win.loaded, icon: fake.Tray.all[0].image.path, electronStore: fake.ipcMain.listenerCount('electron-store-get-data') };
fake.Tray.all[0].clickMenu('Quit');
while (fake.app.exitCode === null) await new Promise((r) => setTimeout(r, 20));
console.log(JSON.stringify({ ...state, exitCode: fake.app.exitCode }));
process.exit(0);
`,
    );
    const dataDir = join(tmp, 'data');
    const r = spawnSync(process.execPath, ['--import', 'tsx', driver], {
      cwd: root,
      env: { ...process.env, MAILWARD_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    const state = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(state).toEqual({
      userData: dataDir,
      preload: join(out, 'preload.cjs'),
      sandbox: true,
      loaded: ['mailward://app/index.html'],
      icon: expect.stringMatching(/assets\/tray-(protected|problem)\.png$/),
      // The settings were opened with electron-store (bundled), which sets itself up on Electron's ipcMain.
      electronStore: 1,
      exitCode: 0,
    });
    // ...in the one settings file the CLI (conf) reads too.
    expect(new SettingsStore(dataDir).get()).toEqual(
      JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')),
    );
    expect(readFileSync(join(dataDir, 'mailward.log'), 'utf8')).toContain('Mailward stopped');
  });

  it('preload.cjs requires only electron and exposes exactly window.mailward', () => {
    electron.resetFakeElectron();
    const required: string[] = [];
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    new Function('require', 'module', 'exports', readFileSync(join(out, 'preload.cjs'), 'utf8'))(
      sandboxRequire,
      { exports: {} },
      {},
    );
    expect(required).toEqual(['electron']);
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['mailward']);
    expect(Object.keys(electron.contextBridge.exposed.get('mailward')).sort()).toEqual(
      [...API_METHODS, 'onEvent'].sort(),
    );
  });
});
