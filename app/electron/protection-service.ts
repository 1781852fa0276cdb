// Starts the protection proxies around the engine for the desktop app: the same host composition as
// `mailward run` (app/service), without the headless console (the window is the UI here).
import type { Engine } from '../../main/engine.ts';
import { startService } from '../service/index.ts';
import type { RunningService } from './desktop.ts';

export function startProtection(engine: Engine): Promise<RunningService> {
  return startService(engine, {
    routes: [],
    trustCa: [],
    print: (line) => engine.log.info(line),
    consolePort: null,
  });
}
