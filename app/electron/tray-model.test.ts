import { describe, expect, it } from 'vitest';
import type { ProtectionStatus } from '../../shared/events.ts';
import { PAUSE_CHOICES, trayModel } from './tray-model.ts';

const on: ProtectionStatus = { enabled: true, paused: false, pausedUntil: null, reason: null };
const labels = (items: { label: string; separator?: true }[]) =>
  items.filter((i) => !i.separator).map((i) => i.label);

describe('tray menu model', () => {
  it('shows the protected state with the full menu and Enable greyed out', () => {
    const m = trayModel(on);
    expect(m.state).toBe('protected');
    expect(labels(m.items)).toEqual([
      'Email protection is on',
      'Pause protection',
      'Enable protection',
      'Open Mailward',
      'Advanced setup',
      'Quit',
    ]);
    expect(m.items.find((i) => i.label === 'Enable protection')?.enabled).toBe(false);
    expect(m.items[0].enabled).toBe(false); // the status line is information, not a command
  });

  it('offers the five pause lengths, ending with until restart', () => {
    const pause = trayModel(on).items.find((i) => i.label === 'Pause protection');
    expect(pause?.submenu?.map((i) => i.label)).toEqual([
      '10 minutes',
      '30 minutes',
      '1 hour',
      '4 hours',
      'Until restart',
    ]);
    expect(pause?.submenu?.map((i) => i.action)).toEqual(
      PAUSE_CHOICES.map((c) => ({ type: 'pause', minutes: c.minutes })),
    );
  });

  it('a timed pause shows its end time and enables Enable protection', () => {
    const until = new Date(2026, 0, 3, 14, 30).toISOString();
    const m = trayModel({ enabled: false, paused: true, pausedUntil: until, reason: 'paused' });
    expect(m.state).toBe('paused');
    expect(m.items[0].label).toMatch(/^Protection paused until (14|0?2):30/);
    expect(m.items.find((i) => i.label === 'Enable protection')?.enabled).toBe(true);
  });

  it('protection switched off in settings is a problem with its reason in the status line', () => {
    const m = trayModel({
      enabled: false,
      paused: false,
      pausedUntil: null,
      reason: 'Protocol filtering is turned off',
    });
    expect(m.state).toBe('problem');
    expect(m.items[0].label).toBe('Protocol filtering is turned off');
    expect(m.tooltip).toBe('Mailward — Protocol filtering is turned off');
  });

  it('a service that failed to start is a problem even when settings say protected', () => {
    const m = trayModel(on, 'Protection could not start: port 110 is in use');
    expect(m.state).toBe('problem');
    expect(m.items[0].label).toBe('Protection could not start: port 110 is in use');
  });
});
