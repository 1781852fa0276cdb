// What the tray shows for a protection status: which icon, the tooltip and the menu, as plain data.
// tray.ts turns this into Electron's Menu; tests read it directly.
import type { ProtectionStatus } from '../../shared/events.ts';

export type TrayState = 'protected' | 'paused' | 'problem';

export type TrayAction =
  | { type: 'pause'; minutes: number | null }
  | { type: 'enable' }
  | { type: 'open' }
  | { type: 'advanced' }
  | { type: 'quit' };

export interface TrayItem {
  label: string;
  enabled: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
  separator?: true;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  items: TrayItem[];
}

/** The pause choices users know from other suites: 10 minutes up to "until restart". */
export const PAUSE_CHOICES: { label: string; minutes: number | null }[] = [
  { label: '10 minutes', minutes: 10 },
  { label: '30 minutes', minutes: 30 },
  { label: '1 hour', minutes: 60 },
  { label: '4 hours', minutes: 240 },
  { label: 'Until restart', minutes: null },
];

export function trayState(status: ProtectionStatus, hostProblem: string | null = null): TrayState {
  if (status.paused) return 'paused';
  if (!status.enabled || hostProblem) return 'problem';
  return 'protected';
}

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** One line a user can act on: what state protection is in and, when it is not protected, why. */
export function statusLine(status: ProtectionStatus, hostProblem: string | null = null): string {
  if (status.paused)
    return status.pausedUntil ? `Protection paused until ${clock(status.pausedUntil)}` : 'Protection paused';
  if (!status.enabled) return status.reason ?? 'Protection is off';
  if (hostProblem) return hostProblem;
  return 'Email protection is on';
}

const SEPARATOR: TrayItem = { label: '', enabled: true, separator: true };

export function trayModel(status: ProtectionStatus, hostProblem: string | null = null): TrayModel {
  const state = trayState(status, hostProblem);
  const line = statusLine(status, hostProblem);
  return {
    state,
    tooltip: `Mailward — ${line}`,
    items: [
      { label: line, enabled: false },
      SEPARATOR,
      {
        label: 'Pause protection',
        // Pausing again while paused changes the end; allowed, as in the products users compare us with.
        enabled: true,
        submenu: PAUSE_CHOICES.map((c) => ({
          label: c.label,
          enabled: true,
          action: { type: 'pause', minutes: c.minutes },
        })),
      },
      { label: 'Enable protection', enabled: state !== 'protected', action: { type: 'enable' } },
      SEPARATOR,
      { label: 'Open Mailward', enabled: true, action: { type: 'open' } },
      { label: 'Advanced setup', enabled: true, action: { type: 'advanced' } },
      SEPARATOR,
      { label: 'Quit', enabled: true, action: { type: 'quit' } },
    ],
  };
}
