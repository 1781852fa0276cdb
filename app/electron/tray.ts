// The tray icon and its menu, rebuilt from tray-model.ts whenever the protection status changes.
import { join } from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { ProtectionStatus } from '../../shared/events.ts';
import { trayModel, type TrayAction, type TrayItem, type TrayState } from './tray-model.ts';

export const TRAY_ICON_FILES: Record<TrayState, string> = {
  protected: 'tray-protected.png',
  paused: 'tray-paused.png',
  problem: 'tray-problem.png',
};

export interface TrayOptions {
  assetsDir: string;
  onAction: (action: TrayAction) => void;
}

function toTemplate(items: TrayItem[], onAction: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.separator) return { type: 'separator' };
    const action = item.action;
    return {
      label: item.label,
      enabled: item.enabled,
      submenu: item.submenu ? toTemplate(item.submenu, onAction) : undefined,
      click: action ? () => onAction(action) : undefined,
    };
  });
}

export class DesktopTray {
  private readonly tray: Tray;
  private state: TrayState | null = null;

  constructor(private readonly opts: TrayOptions) {
    this.tray = new Tray(this.icon('protected'));
  }

  update(status: ProtectionStatus, hostProblem: string | null = null): TrayState {
    const model = trayModel(status, hostProblem);
    if (model.state !== this.state) this.tray.setImage(this.icon(model.state));
    this.state = model.state;
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(toTemplate(model.items, this.opts.onAction)));
    return model.state;
  }

  destroy(): void {
    this.tray.destroy();
  }

  private icon(state: TrayState) {
    return nativeImage.createFromPath(join(this.opts.assetsDir, TRAY_ICON_FILES[state]));
  }
}
