// Start at login (setting desktop.autostart). Packaged builds only: a development run must never
// register itself. Linux has no login-item API in Electron, so an XDG autostart entry is written instead.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import type { Engine } from '../../main/engine.ts';

/** Passed on the command line when started at login: start in the tray without opening the window. */
export const HIDDEN_FLAG = '--hidden';

export function linuxAutostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', 'mailward.desktop');
}

/** An XDG desktop entry; Exec is quoted per the Desktop Entry spec. */
export function linuxAutostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Mailward',
    'Comment=Email protection',
    `Exec=${quoted} ${HIDDEN_FLAG}`,
    'Icon=mailward',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function applyAutostart(enabled: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    const file = linuxAutostartFile(env);
    if (!enabled) return rmSync(file, { force: true });
    mkdirSync(join(file, '..'), { recursive: true });
    // An AppImage runs from a temporary mount: the stable path is the AppImage file itself.
    writeFileSync(file, linuxAutostartEntry(env.APPIMAGE ?? process.execPath));
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}

/** Apply desktop.autostart now and whenever the settings change; a failure is logged, never fatal. */
export function keepAutostartInSync(engine: Pick<Engine, 'currentSettings' | 'settings' | 'log'>): void {
  const sync = () => {
    try {
      applyAutostart(engine.currentSettings().desktop.autostart);
    } catch (err) {
      engine.log.warn({ err: (err as Error).message }, 'could not update start at login');
    }
  };
  sync();
  engine.settings.on('change', sync);
}
