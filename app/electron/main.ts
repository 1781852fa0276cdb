// Electron main-process entry (bundled to dist/electron/main.mjs). Everything before `ready` happens
// here: the data dir and the app scheme must be set up first.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { registerAppScheme } from './app-protocol.ts';
import { startDesktop, useMailwardDataDir } from './desktop.ts';
import { startProtection } from './protection-service.ts';

const here = dirname(fileURLToPath(import.meta.url));

useMailwardDataDir();
registerAppScheme();

startDesktop({
  rendererDir: join(here, '..', 'renderer'),
  preload: join(here, 'preload.cjs'),
  assetsDir: join(here, 'assets'),
  startService: startProtection,
}).catch((err: Error) => {
  process.stderr.write(`mailward: the desktop app could not start: ${err.stack ?? err.message}\n`);
  app.exit(1);
});
