// The one hand-written stand-in for the `electron` module (as electron/fiddle does): just enough of
// Electron's main and preload APIs for app/electron to run under plain Node. Tests wire it with
//   vi.mock('electron', () => import('./test/fake-electron.ts'))
// and drive or inspect it through `fake`. Each object records what the code under test asked of it.
import { EventEmitter } from 'node:events';

type Listener = (...args: any[]) => unknown;

class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault() {
    this.defaultPrevented = true;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Simulate the page trying to navigate; returns whether the app allowed it. */
  tryNavigate(url: string): boolean {
    const ev = new FakeEvent(url);
    this.emit('will-navigate', ev);
    return !ev.defaultPrevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  static getFocusedWindow() {
    return BrowserWindow.all.find((w) => w.focused && !w.destroyed) ?? null;
  }
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: Record<string, any>) {
    super();
    BrowserWindow.all.push(this);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused = true;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** The user clicks the window's close button. */
  userClose() {
    const ev = new FakeEvent();
    this.emit('close', ev);
    if (!ev.defaultPrevented) this.destroy();
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'mailward';
  version = '0.0.0-fake';
  readonly paths: Record<string, string> = { appData: '/tmp/fake-appdata' };
  gotLock = true;
  quitCalls = 0;
  exitCode: number | null = null;
  loginItem: unknown = null;
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    this.quitCalls++;
    const ev = new FakeEvent();
    this.emit('before-quit', ev);
  }
  exit(code = 0) {
    this.exitCode = code;
  }
  setName(name: string) {
    this.name = name;
  }
  getName() {
    return this.name;
  }
  getVersion() {
    return this.version;
  }
  getPath(name: string) {
    const p = this.paths[name];
    if (!p) throw new Error(`fake electron: no path "${name}"`);
    return p;
  }
  setPath(name: string, value: string) {
    this.paths[name] = value;
  }
  setLoginItemSettings(settings: unknown) {
    this.loginItem = settings;
  }
}
export const app = new FakeApp();

// An EventEmitter like Electron's: `on` listeners (electron-store registers one when it is first
// constructed) are kept across resetFakeElectron, as modules that register them once keep their state.
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, fn: Listener) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Call a handler as a renderer would, from the given webContents and frame. */
  async invoke(
    channel: string,
    from: { sender: { id: number }; frameUrl: string | null; mainFrame?: boolean },
    ...args: unknown[]
  ) {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const senderFrame =
      from.frameUrl === null
        ? null
        : { url: from.frameUrl, parent: from.mainFrame === false ? { url: 'parent' } : null };
    return fn({ sender: from.sender, senderFrame }, ...args);
  }
}
export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  respond: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: null });
  async invoke(channel: string, ...args: unknown[]) {
    this.invocations.push({ channel, args });
    return this.respond(channel, args);
  }
}
export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, any>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api);
  },
};

export const session = {
  defaultSession: {
    beforeRequest: null as Listener | null,
    headersReceived: null as Listener | null,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    webRequest: {
      onBeforeRequest(a: Listener | object, b?: Listener) {
        session.defaultSession.beforeRequest = (typeof a === 'function' ? a : b) as Listener;
      },
      onHeadersReceived(a: Listener | object, b?: Listener) {
        session.defaultSession.headersReceived = (typeof a === 'function' ? a : b) as Listener;
      },
    },
    setPermissionRequestHandler(fn: Listener) {
      session.defaultSession.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn: Listener) {
      session.defaultSession.permissionCheck = fn;
    },
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string) {
    shell.opened.push(url);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (req: { url: string }) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, fn: (req: { url: string }) => Promise<Response> | Response) {
    protocol.handlers.set(scheme, fn);
  },
};

export const nativeImage = {
  createFromPath(path: string) {
    return { path };
  },
};

export const Menu = {
  buildFromTemplate(template: any[]) {
    return { template };
  },
};

export class Tray {
  static readonly all: Tray[] = [];
  image: { path: string };
  tooltip = '';
  menu: { template: any[] } | null = null;
  destroyed = false;
  constructor(image: { path: string }) {
    this.image = image;
    Tray.all.push(this);
  }
  setImage(image: { path: string }) {
    this.image = image;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(menu: { template: any[] }) {
    this.menu = menu;
  }
  destroy() {
    this.destroyed = true;
  }
  /** Click a menu entry by its label path, e.g. clickMenu('Pause protection', '1 hour'). */
  clickMenu(...labels: string[]) {
    let items = this.menu?.template ?? [];
    let item: any;
    for (const label of labels) {
      item = items.find((i: any) => i.label === label);
      if (!item)
        throw new Error(`no menu item "${label}" (have: ${items.map((i: any) => i.label).join(', ')})`);
      items = item.submenu ?? [];
    }
    if (!item.enabled) throw new Error(`menu item "${labels.join(' › ')}" is disabled`);
    item.click();
  }
}

export class Notification extends EventEmitter {
  static supported = true;
  static readonly all: Notification[] = [];
  static isSupported() {
    return Notification.supported;
  }
  shown = false;
  constructor(readonly options: { title: string; body: string; icon?: string }) {
    super();
  }
  show() {
    this.shown = true;
    Notification.all.push(this);
  }
  close() {
    this.emit('close');
  }
  click() {
    this.emit('click');
  }
}

export const dialog = {
  /** What the "user" does with a message box: defaults to leaving it open until aborted. */
  answer: null as null | ((options: any) => { response: number; checkboxChecked: boolean }),
  shown: [] as any[],
  async showMessageBox(a: any, b?: any) {
    const options = b ?? a;
    dialog.shown.push(options);
    if (dialog.answer) return dialog.answer(options);
    const signal: AbortSignal | undefined = options.signal;
    return new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
      // Electron: an aborted message box behaves as cancelled (cancelId).
      signal?.addEventListener('abort', () =>
        resolve({ response: options.cancelId ?? 0, checkboxChecked: false }),
      );
    });
  },
};

export const powerMonitor = new EventEmitter();

/** Back to a fresh Electron between tests. */
export function resetFakeElectron() {
  app.removeAllListeners();
  Object.assign(app, {
    isPackaged: false,
    name: 'mailward',
    gotLock: true,
    quitCalls: 0,
    exitCode: null,
    loginItem: null,
  });
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations.length = 0;
  contextBridge.exposed.clear();
  BrowserWindow.all.length = 0;
  Tray.all.length = 0;
  Notification.all.length = 0;
  Notification.supported = true;
  dialog.answer = null;
  dialog.shown.length = 0;
  protocol.handlers.clear();
  protocol.privileged.length = 0;
  shell.opened.length = 0;
  powerMonitor.removeAllListeners();
}

export default {
  app,
  ipcMain,
  ipcRenderer,
  contextBridge,
  session,
  shell,
  protocol,
  nativeImage,
  Menu,
  Tray,
  Notification,
  dialog,
  powerMonitor,
  BrowserWindow,
};
