// Starts the protection proxies around the engine for the desktop app: the same composition as
// `mailward run` (app/service), with routes and trusted CAs from the settings.
import type { Engine } from '../../main/engine.ts';
import type { RunningService } from './desktop.ts';

export async function startProtection(_engine: Engine): Promise<RunningService> {
  // INTERIM: app/service (startService) has not landed yet; the tray shows this as a problem.
  throw new Error('the protection service is not part of this build yet');
}
