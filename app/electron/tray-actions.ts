// What each tray menu entry does. Pausing goes through the engine (main/engine.ts), which resumes by
// itself when a timed pause ends; "Enable protection" also turns the master switches back on.
import type { Engine } from '../../main/engine.ts';
import type { TrayAction } from './tray-model.ts';

export interface TrayHost {
  open(): void;
  advanced(): void;
  quit(): void;
}

type ProtectionEngine = Pick<Engine, 'pause' | 'resume' | 'currentSettings' | 'settings'>;

export function enableProtection(engine: ProtectionEngine): void {
  engine.resume();
  const s = engine.currentSettings();
  const email = s.webAndEmail.emailClientProtection.emailProtocols;
  if (s.webAndEmail.protocolFiltering.enabled && email.enabled) return;
  const next = structuredClone(s);
  next.webAndEmail.protocolFiltering.enabled = true;
  next.webAndEmail.emailClientProtection.emailProtocols.enabled = true;
  engine.settings.set(next);
}

export function runTrayAction(engine: ProtectionEngine, host: TrayHost, action: TrayAction): void {
  switch (action.type) {
    case 'pause':
      return engine.pause(action.minutes === null ? null : action.minutes * 60_000);
    case 'enable':
      return enableProtection(engine);
    case 'open':
      return host.open();
    case 'advanced':
      return host.advanced();
    case 'quit':
      return host.quit();
  }
}
