// The desktop shell end to end under the fake electron: a real engine on a temporary data dir, the
// real API, tray, notifications, IPC and window code; only Electron itself is the stand-in.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, IPC_EVENT_CHANNEL, ipcChannel } from '../../shared/api.ts';
import type { DetectionRecord } from '../../shared/events.ts';
import type { CertificateRule } from '../../shared/settings/index.ts';
import { detection } from './test/detections.ts';
import { startDesktop, type Desktop } from './desktop.ts';
import { APP_ENTRY } from './security.ts';
import * as electron from './test/fake-electron.ts';
import { CertificateQuestions as TlsQuestions } from '../../main/tls/questions.ts';

vi.mock('electron', () => import('./test/fake-electron.ts'));

const { app, BrowserWindow, ipcMain, Notification, Tray, dialog, session, protocol } = electron;

let dataDir: string;
const running: Desktop[] = [];
let serviceClosed = 0;
let tlsQuestions: TlsQuestions | null = null;
let savedRules: CertificateRule[] = [];

const CA = { pem: '-----BEGIN CERTIFICATE-----', fingerprint: 'AA:BB', subject: 'Mailward Root CA test' };

async function launch(argv: string[] = [], serviceFails?: string) {
  app.setPath('userData', dataDir);
  const d = await startDesktop({
    rendererDir: join(dataDir, 'renderer'),
    preload: '/app/dist/electron/preload.cjs',
    assetsDir: '/app/dist/electron/assets',
    startService: async (engine) => {
      if (serviceFails) throw new Error(serviceFails);
      savedRules = [];
      tlsQuestions = new TlsQuestions(
        (q) => engine.emit('certificateQuestion', q),
        (rule) => savedRules.push(rule),
      );
      return { close: async () => void serviceClosed++, certificates: tlsQuestions, exportCa: () => CA };
    },
    argv,
  });
  if (d) running.push(d);
  return d;
}

const tray = () => Tray.all[Tray.all.length - 1];
const iconFile = () => tray().image.path.split('/').pop();
const win = () => BrowserWindow.all[BrowserWindow.all.length - 1];
const logText = () => readFileSync(join(dataDir, 'mailward.log'), 'utf8');
const fromWindow = () => ({ sender: win().webContents, frameUrl: APP_ENTRY });

beforeEach(() => {
  electron.resetFakeElectron();
  dataDir = mkdtempSync(join(tmpdir(), 'mailward-desktop-'));
  // A packaged launch registers start at login: keep that entry inside the temporary folder.
  vi.stubEnv('XDG_CONFIG_HOME', join(dataDir, 'xdg'));
  serviceClosed = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  for (const d of running.splice(0)) await d.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('desktop app start', () => {
  it('a second instance quits at once and starts nothing', async () => {
    app.gotLock = false;
    expect(await launch()).toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.all).toHaveLength(0);
    expect(Tray.all).toHaveLength(0);
  });

  it('a second launch brings the running window to the front', async () => {
    await launch(['--hidden']);
    expect(BrowserWindow.all).toHaveLength(0); // started at login: tray only
    app.emit('second-instance');
    expect(win().visible).toBe(true);
  });

  it('the engine keeps its data in the userData folder', async () => {
    const d = (await launch())!;
    expect(d.engine.dataDir).toBe(dataDir);
    expect(logText()).toContain('Mailward desktop started');
  });

  it('the window is created with the security switches and loads the packaged UI', async () => {
    await launch();
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/dist/electron/preload.cjs',
    });
    expect(win().loaded).toEqual([APP_ENTRY]);
    expect(win().webContents.tryNavigate('https://evil.example/')).toBe(false);
    expect(win().webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(win().webContents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });

  it('a packaged app gives the window no DevTools', async () => {
    app.isPackaged = true;
    await launch();
    expect(win().options.webPreferences.devTools).toBe(false);
    if (process.platform === 'linux')
      expect(existsSync(join(dataDir, 'xdg/autostart/mailward.desktop'))).toBe(true);
  });

  it('remote requests are cancelled and permissions refused', async () => {
    await launch();
    const ses = session.defaultSession;
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      ses.beforeRequest!({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://cdn.example/x.js')).toBe(true);
    expect(decide(`${APP_ENTRY}`)).toBe(false);
    let granted: boolean | undefined;
    ses.permissionRequest!(null, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
  });

  it('the app scheme serves the UI with the CSP header and nothing outside it', async () => {
    await launch();
    const serve = protocol.handlers.get('mailward')!;
    const denied = await serve({ url: 'mailward://app/..%2f..%2fetc/passwd' });
    expect(denied.status).toBe(403);
    const missing = await serve({ url: `${APP_ENTRY}` });
    expect(missing.status).toBe(404); // no renderer built in this temp dir
  });

  it('a protection service that cannot start shows the problem icon and says why', async () => {
    await launch([], 'listen EADDRINUSE 127.0.0.1:110');
    expect(iconFile()).toBe('tray-problem.png');
    expect(tray().menu!.template[0].label).toBe(
      'Protection could not start: listen EADDRINUSE 127.0.0.1:110',
    );
  });

  it("the window can export the service's root certificate", async () => {
    await launch();
    expect(await ipcMain.invoke(ipcChannel('exportCa'), fromWindow())).toEqual({ ok: true, value: CA });
  });

  it('closing the window hides it; the app keeps protecting from the tray', async () => {
    await launch();
    win().userClose();
    expect(win().destroyed).toBe(false);
    expect(win().visible).toBe(false);
  });
});

describe('tray', () => {
  it('pausing for 1 hour from the tray pauses the engine and shows the paused icon', async () => {
    const d = (await launch())!;
    expect(iconFile()).toBe('tray-protected.png');
    tray().clickMenu('Pause protection', '1 hour');
    expect(d.engine.isPaused()).toBe(true);
    const until = Date.parse(d.engine.status().pausedUntil!);
    expect(until - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(iconFile()).toBe('tray-paused.png');
    expect(tray().menu!.template[0].label).toMatch(/^Protection paused until /);
  });

  it('Enable protection resumes and restores the protected icon', async () => {
    const d = (await launch())!;
    tray().clickMenu('Pause protection', 'Until restart');
    expect(iconFile()).toBe('tray-paused.png');
    tray().clickMenu('Enable protection');
    expect(d.engine.isPaused()).toBe(false);
    expect(iconFile()).toBe('tray-protected.png');
  });

  it('a timed pause ends by itself and the icon follows', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const d = (await launch())!;
    tray().clickMenu('Pause protection', '10 minutes');
    expect(iconFile()).toBe('tray-paused.png');
    await vi.advanceTimersByTimeAsync(10 * 60_000 + 1);
    expect(d.engine.isPaused()).toBe(false);
    expect(iconFile()).toBe('tray-protected.png');
  });

  it('protection switched off in settings shows the problem icon; Enable protection turns it back on', async () => {
    const d = (await launch())!;
    const s = structuredClone(d.engine.currentSettings());
    s.webAndEmail.emailClientProtection.emailProtocols.enabled = false;
    d.engine.settings.set(s);
    expect(iconFile()).toBe('tray-problem.png');
    tray().clickMenu('Enable protection');
    expect(d.engine.currentSettings().webAndEmail.emailClientProtection.emailProtocols.enabled).toBe(true);
    expect(iconFile()).toBe('tray-protected.png');
  });

  it('a pause survives restarting the app; "until restart" does not', async () => {
    let d = (await launch())!;
    tray().clickMenu('Pause protection', '4 hours');
    await d.shutdown();
    running.length = 0;
    electron.resetFakeElectron();
    d = (await launch())!;
    expect(d.engine.isPaused()).toBe(true);
    expect(iconFile()).toBe('tray-paused.png');

    tray().clickMenu('Pause protection', 'Until restart');
    await d.shutdown();
    running.length = 0;
    electron.resetFakeElectron();
    d = (await launch())!;
    expect(d.engine.isPaused()).toBe(false);
  });

  it('Open Mailward and Advanced setup bring up the window on the right view', async () => {
    await launch(['--hidden']);
    tray().clickMenu('Advanced setup');
    expect(win().visible).toBe(true);
    expect(win().loaded.at(-1)).toBe(`${APP_ENTRY}#/setup`);
    win().userClose();
    tray().clickMenu('Open Mailward');
    expect(win().visible).toBe(true);
    expect(BrowserWindow.all).toHaveLength(1);
  });

  it('Quit closes the service and the engine, then exits', async () => {
    await launch();
    tray().clickMenu('Quit');
    await vi.waitFor(() => expect(app.exitCode).toBe(0));
    expect(serviceClosed).toBe(1);
    expect(tray().destroyed).toBe(true);
    expect(logText()).toContain('Mailward stopped');
  });
});

describe('notifications', () => {
  const detect = (d: Desktop, r: DetectionRecord) => d.engine.emit('detection', r);

  it('one detection shows one notification; clicking it opens that detection', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const d = (await launch(['--hidden']))!;
    detect(d, detection(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(Notification.all.map((n) => n.options.title)).toEqual(['Threat removed: Eicar-Test-Signature']);
    expect(Notification.all[0].options.body).toBe('From: Alice <alice@example.org>\nSubject: Invoice 1');
    Notification.all[0].click();
    expect(win().visible).toBe(true);
    expect(win().loaded.at(-1)).toBe(`${APP_ENTRY}#/detections/d1`);
  });

  it('ten detections in a second show one "10 threats removed" that opens the log', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const d = (await launch())!;
    for (let i = 0; i < 10; i++) detect(d, detection(i));
    await vi.advanceTimersByTimeAsync(1000);
    expect(Notification.all.map((n) => n.options.title)).toEqual(['10 threats removed']);
    Notification.all[0].click();
    expect(win().loaded.at(-1)).toBe(`${APP_ENTRY}#/detections`);
  });

  it('no notification when the user turned them off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const d = (await launch())!;
    const s = structuredClone(d.engine.currentSettings());
    s.notifications.enabled = false;
    d.engine.settings.set(s);
    detect(d, detection(1));
    await vi.advanceTimersByTimeAsync(2000);
    expect(Notification.all).toHaveLength(0);
  });

  it('the detection also reaches the window over the single event channel', async () => {
    const d = (await launch())!;
    detect(d, detection(3));
    expect(win().webContents.sent).toContainEqual({
      channel: IPC_EVENT_CHANNEL,
      payload: { type: 'detection', detection: detection(3) },
    });
  });
});

describe('IPC', () => {
  it('registers one handler per API method', async () => {
    await launch();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
  });

  it('our window can call the API', async () => {
    const d = (await launch())!;
    const r = await ipcMain.invoke(ipcChannel('pause'), fromWindow(), 30);
    expect(r).toMatchObject({ ok: true, value: { paused: true } });
    expect(d.engine.isPaused()).toBe(true);
  });

  it('a call from another webContents is refused with {code, message} and logged; the engine is untouched', async () => {
    const d = (await launch())!;
    const r = await ipcMain.invoke(ipcChannel('pause'), { sender: { id: 9999 }, frameUrl: APP_ENTRY }, null);
    expect(r).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This window may not use the Mailward API.' },
    });
    expect(d.engine.isPaused()).toBe(false);
    expect(logText()).toContain('IPC call rejected: sender');
  });

  it('a call from a subframe or another origin in our window is refused', async () => {
    await launch();
    const sub = await ipcMain.invoke(ipcChannel('getSettings'), { ...fromWindow(), mainFrame: false });
    const other = await ipcMain.invoke(ipcChannel('getSettings'), {
      ...fromWindow(),
      frameUrl: 'https://evil.example/',
    });
    expect(sub).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(logText()).toContain('unexpected origin https://evil.example');
  });

  it('an invalid payload is refused before the engine sees it, and logged', async () => {
    const d = (await launch())!;
    const r = await ipcMain.invoke(ipcChannel('pause'), fromWindow(), -5);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const r2 = await ipcMain.invoke(ipcChannel('getQuarantinedOriginal'), fromWindow(), '../../etc/passwd');
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(d.engine.isPaused()).toBe(false);
    expect(logText()).toContain('IPC call rejected: invalid arguments');
  });
});

describe('certificate questions', () => {
  const ask = () =>
    tlsQuestions!.ask({
      server: 'imap.example.org:993',
      host: 'imap.example.org',
      reason: 'self-signed certificate',
      fingerprint: '12:34',
      kind: 'unverified',
    });

  it('the dialog names server, reason and fingerprint; Allow lets the connection through', async () => {
    await launch();
    dialog.answer = () => ({ response: 1, checkboxChecked: true });
    await expect(ask()).resolves.toBe('allow');
    expect(dialog.shown).toHaveLength(1);
    expect(dialog.shown[0].message).toBe(
      'imap.example.org:993 presented a certificate that cannot be verified.',
    );
    expect(dialog.shown[0].detail).toContain('Reason: self-signed certificate');
    expect(dialog.shown[0].detail).toContain('Fingerprint (SHA-256): 12:34');
    expect(dialog.shown[0].buttons).toEqual(['Block', 'Allow']);
    // Remembered: kept as an allow rule for this host and certificate (persisted by the service).
    expect(savedRules).toMatchObject([{ host: 'imap.example.org', fingerprint: '12:34', access: 'allow' }]);
  });

  it('no answer in time blocks the connection', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await launch();
    const answer = ask();
    await vi.advanceTimersByTimeAsync(45_000);
    await expect(answer).resolves.toBe('block');
    expect(dialog.shown).toHaveLength(1);
  });
});
