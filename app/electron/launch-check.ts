// Can the desktop app run here? `npm start` (scripts/start.sh) asks this: Electron's binary must be
// installed, there must be a display, and Electron's sandbox refuses root. Otherwise the user gets one
// line saying why and the headless service with its settings console.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  uid: number | null;
  /** Path of Electron's binary as the electron package reports it, or null when it was not downloaded. */
  electronBinary: string | null;
  binaryExists: (path: string) => boolean;
}

const FALLBACK = 'running the headless service with the settings console instead';

/** Null when the desktop app can start; otherwise the one line to print. */
export function desktopUnavailable(f: LaunchFacts): string | null {
  if (!f.electronBinary || !f.binaryExists(f.electronBinary))
    return `mailward: Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no download); ${FALLBACK}`;
  if (f.platform === 'linux' || f.platform === 'freebsd' || f.platform === 'openbsd') {
    if (!f.env.DISPLAY && !f.env.WAYLAND_DISPLAY)
      return `mailward: no display (DISPLAY and WAYLAND_DISPLAY are unset); ${FALLBACK}`;
    if (f.uid === 0) return `mailward: Electron does not run as root; ${FALLBACK}`;
  }
  return null;
}

/** The electron package exports its binary's path, and throws when the binary was never downloaded. */
export function electronBinaryPath(fromDir: string): string | null {
  try {
    const path = createRequire(`${fromDir}/`)('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

export function currentLaunchFacts(projectRoot: string): LaunchFacts {
  return {
    platform: process.platform,
    env: process.env,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    electronBinary: electronBinaryPath(projectRoot),
    binaryExists: existsSync,
  };
}
