// The one settings window: created with Electron's security switches on, loaded from the packaged files
// through the app scheme, unable to navigate away or open windows. Closing it hides it (the tray keeps
// running); it is destroyed only when the app quits.
import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { APP_ENTRY, CONTENT_SECURITY_POLICY, isAppUrl } from './security.ts';
import type { Logger } from '../../main/log.ts';
import { formatRoute } from '../../shared/routes.ts';

export interface WindowOptions {
  preload: string;
  icon?: string;
  log: Pick<Logger, 'warn'>;
  /** Windows: the user is logging off or the machine shuts down (emitted on windows only). */
  onSessionEnd?: () => void;
}

/** Where the window opens: the detections log, one detection, Advanced setup (the UI's 'setup' view), as
 * the hash routes the settings UI reads at load and on hashchange (formatted by its own router). */
export const ROUTES = {
  home: '',
  detections: formatRoute({ view: 'detections', detection: null }),
  detection: (id: string) => formatRoute({ view: 'detections', detection: id }),
  advanced: formatRoute({ view: 'setup', page: null }),
};

/** The switches every Mailward window is created with; tests assert on exactly these. */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Session-wide rules: CSP on every response, nothing remote, no permission prompts. Once per app. */
export function lockDownSession(log: Pick<Logger, 'warn'>): void {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAppUrl(details.url) || details.url.startsWith('devtools://');
    if (!allowed) log.warn({ url: details.url }, 'blocked a request for remote content');
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    // DevTools (development only) brings its own policy; ours would break it.
    if (details.url.startsWith('devtools://')) return callback({});
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

function blockNavigation(contents: WebContents, log: Pick<Logger, 'warn'>): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log.warn({ url: event.url }, 'blocked navigation out of the app');
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log.warn({ url: event.url }, 'blocked redirect out of the app');
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web (help pages) open in the user's browser, never inside the app.
    if (/^https:\/\//i.test(url))
      shell
        .openExternal(url)
        .catch((err: Error) => log.warn({ url, err: err.message }, 'could not open link'));
    else log.warn({ url }, 'blocked window.open');
    return { action: 'deny' };
  });
}

export class MainWindow {
  private win: BrowserWindow | null = null;
  private quitting = false;

  constructor(private readonly opts: WindowOptions) {}

  /** The webContents id IPC calls must come from, or null when there is no window. */
  webContentsId(): number | null {
    return this.win && !this.win.isDestroyed() ? this.win.webContents.id : null;
  }

  webContents(): WebContents | null {
    return this.win && !this.win.isDestroyed() ? this.win.webContents : null;
  }

  /** Show the window on a route (creating it when needed) and bring it to the front. */
  show(route = ROUTES.home): void {
    const win = this.ensure(route);
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Let the window really close (the app is quitting). */
  destroy(): void {
    this.quitting = true;
    if (this.win && !this.win.isDestroyed()) this.win.destroy();
    this.win = null;
  }

  /** loadURL rejects when a newer load interrupts it (ERR_ABORTED): expected, and never fatal. */
  private load(win: BrowserWindow, route: string): void {
    win.loadURL(APP_ENTRY + route).catch((err: Error) => {
      if (!/ERR_ABORTED/.test(err.message)) this.opts.log.warn({ err: err.message }, 'window failed to load');
    });
  }

  private ensure(route: string): BrowserWindow {
    if (this.win && !this.win.isDestroyed()) {
      if (route) this.load(this.win, route);
      return this.win;
    }
    const win = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 480,
      title: 'Mailward',
      show: false,
      icon: this.opts.icon,
      autoHideMenuBar: true,
      // DevTools only in development runs: a packaged app gives the page no debugger.
      webPreferences: { ...secureWebPreferences(this.opts.preload), devTools: !app.isPackaged },
    });
    blockNavigation(win.webContents, this.opts.log);
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      win.hide();
    });
    win.on('session-end', () => this.opts.onSessionEnd?.());
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    this.load(win, route);
    this.win = win;
    return win;
  }
}
