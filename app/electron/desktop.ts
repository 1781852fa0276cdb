// The desktop app: one instance, the engine on the userData folder, the protection service, the window,
// tray, notifications, certificate questions and autostart — and a clean shutdown on Quit or logout.
// main.ts calls startDesktop with the real service; tests call it with a stand-in and the fake electron.
import { join } from 'node:path';
import { app, powerMonitor } from 'electron';
import { Engine } from '../../main/engine.ts';
import type { CaInfo, MailwardApi } from '../../shared/api.ts';
import { createEngineApi } from '../api/engine-api.ts';
import { ApiFailure } from '../api/errors.ts';
import { HIDDEN_FLAG, keepAutostartInSync } from './autostart.ts';
import { handleAppScheme } from './app-protocol.ts';
import { askCertificateQuestions, type TlsQuestions } from './certificate-dialog.ts';
import { registerApiIpc } from './ipc.ts';
import { DetectionNotifier } from './notifications.ts';
import { keepPauseAcrossRestarts } from './pause-state.ts';
import { electronStoreBacking } from './settings-backing.ts';
import { createShutdown } from './shutdown.ts';
import { runTrayAction } from './tray-actions.ts';
import { DesktopTray } from './tray.ts';
import { lockDownSession, MainWindow, ROUTES } from './window.ts';

/** The proxies around the engine (app/service ServiceHandle); close() stops listeners, ends scans. */
export interface RunningService {
  close(): Promise<void>;
  /** The TLS layer's certificate questions (main/tls/questions.ts); the desktop answers them. */
  certificates?: TlsQuestions;
  /** The root CA, for the UI's "export the root certificate". */
  exportCa?: () => CaInfo;
}

export interface DesktopOptions {
  /** dist/renderer: the packaged settings UI. */
  rendererDir: string;
  /** dist/electron/preload.cjs */
  preload: string;
  /** Tray and window icons. */
  assetsDir: string;
  startService: (engine: Engine) => Promise<RunningService>;
  argv?: string[];
}

export interface Desktop {
  engine: Engine;
  api: MailwardApi;
  window: MainWindow;
  tray: DesktopTray;
  shutdown: () => Promise<void>;
}

/** The data dir every Mailward part shares (main/data-dir.ts): userData named "Mailward", not "mailward". */
export function useMailwardDataDir(env: NodeJS.ProcessEnv = process.env): string {
  app.setName('Mailward');
  app.setPath('userData', env.MAILWARD_DATA_DIR || join(app.getPath('appData'), 'Mailward'));
  return app.getPath('userData');
}

/** Returns null when another instance already runs (it is asked to show its window instead). */
export async function startDesktop(opts: DesktopOptions): Promise<Desktop | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  await app.whenReady();
  const engine = new Engine({ dataDir: app.getPath('userData'), settingsBacking: electronStoreBacking });
  const log = engine.log;
  engine.settings.watchFile();
  const stopPauseSync = keepPauseAcrossRestarts(engine, engine.dataDir);
  let serviceProblem: string | null = null;
  let service: RunningService | null = null;
  const api = createEngineApi(engine, {
    exportCa: async () => {
      if (!service?.exportCa) throw new ApiFailure('not_found', 'The protection service is not running');
      return service.exportCa();
    },
    // The renderer's "Allow and remember" takes the same path as the dialog's remember: a saved rule.
    certificates: () => service?.certificates ?? null,
  });

  lockDownSession(log);
  handleAppScheme(opts.rendererDir);
  let onSessionEnd = () => app.quit();
  const window = new MainWindow({
    preload: opts.preload,
    icon: join(opts.assetsDir, 'icon.png'),
    log,
    onSessionEnd: () => onSessionEnd(),
  });
  app.on('second-instance', () => window.show());

  const ipc = registerApiIpc({
    api,
    log,
    ourWebContentsId: () => window.webContentsId(),
    send: (channel, payload) => window.webContents()?.send(channel, payload),
  });

  const tray = new DesktopTray({
    assetsDir: opts.assetsDir,
    onAction: (action) =>
      runTrayAction(
        engine,
        { open: () => window.show(), advanced: () => window.show(ROUTES.advanced), quit: () => app.quit() },
        action,
      ),
  });
  const refreshTray = () => tray.update(engine.status(), serviceProblem);
  engine.on('status', refreshTray);
  refreshTray();

  const notifier = new DetectionNotifier(engine, {
    showDetection: (id) => window.show(ROUTES.detection(id)),
    showDetections: () => window.show(ROUTES.detections),
    icon: join(opts.assetsDir, 'icon.png'),
    onError: (err) => log.warn({ err: err.message }, 'could not show a notification'),
  });

  const questions = askCertificateQuestions(engine, () => service?.certificates ?? null);
  keepAutostartInSync(engine);

  try {
    service = await opts.startService(engine);
    // With a user to ask, `ask` questions wait for the dialog instead of blocking at once.
    if (service.certificates) service.certificates.interactive = true;
  } catch (err) {
    serviceProblem = `Protection could not start: ${(err as Error).message}`;
    log.error({ err: (err as Error).message }, 'protection service failed to start');
    refreshTray();
  }

  const shutdown = createShutdown(
    [
      { name: 'certificate questions', run: () => questions.closeAll() },
      { name: 'notifications', run: () => notifier.close() },
      { name: 'protection service', run: () => service?.close() },
      { name: 'ipc', run: () => ipc.close() },
      { name: 'pause state', run: stopPauseSync },
      { name: 'engine', run: () => engine.close() },
      { name: 'window', run: () => window.destroy() },
      { name: 'tray', run: () => tray.destroy() },
    ],
    log,
  );
  onSessionEnd = installQuitHandlers(shutdown);

  if (!(opts.argv ?? process.argv).includes(HIDDEN_FLAG)) window.show();
  log.info({ dataDir: engine.dataDir }, 'Mailward desktop started');
  return { engine, api, window, tray, shutdown };
}

/** Quit, OS logout/shutdown and signals all run the same shutdown before the process exits. */
function installQuitHandlers(shutdown: () => Promise<void>): () => void {
  let done = false;
  const finish = () =>
    void shutdown().finally(() => {
      done = true;
      app.exit(0);
    });
  app.on('before-quit', (event) => {
    if (done) return;
    event.preventDefault();
    finish();
  });
  // Tray apps keep running with no window open.
  app.on('window-all-closed', () => undefined);
  // Linux and macOS: the machine shuts down or the user logs out.
  powerMonitor.on('shutdown', finish);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, finish);
  return finish;
}
