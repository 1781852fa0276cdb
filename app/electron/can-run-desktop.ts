// `node --import tsx app/electron/can-run-desktop.ts`: exit 0 when the desktop app can run here,
// else print the one reason line and exit 1 (scripts/start.sh then runs the headless service).
import { fileURLToPath } from 'node:url';
import { currentLaunchFacts, desktopUnavailable } from './launch-check.ts';

const why = desktopUnavailable(currentLaunchFacts(fileURLToPath(new URL('../..', import.meta.url))));
if (why) {
  process.stdout.write(`${why}\n`);
  process.exitCode = 1;
}
