// The desktop window's security rules as plain data and checks: the app's own scheme, the CSP, who may
// call the API over IPC, and which packaged file a request may read. window.ts and ipc.ts apply them.
import { extname, join, normalize, relative, isAbsolute } from 'node:path';

/** The renderer is served from the packaged files under this scheme (never file://, never http). */
export const APP_SCHEME = 'mailward';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** No remote content at all: scripts, styles, fonts and images come from the app itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // React and zustand set inline style attributes; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** What Electron tells us about an IPC call's origin (event.sender / event.senderFrame). */
export interface SenderInfo {
  webContentsId: number;
  /** senderFrame is null when the frame has navigated away or been destroyed. */
  frame: { url: string; isMainFrame: boolean } | null;
}

/** Why a sender is refused, or null when it is our window's main frame on our origin. */
export function senderProblem(sender: SenderInfo, ourWebContentsId: number | null): string | null {
  if (ourWebContentsId === null || sender.webContentsId !== ourWebContentsId) return 'not our window';
  if (!sender.frame) return 'sender frame is gone';
  if (!sender.frame.isMainFrame) return 'not the main frame';
  if (!isAppUrl(sender.frame.url)) return `unexpected origin ${originOf(sender.frame.url)}`;
  return null;
}

export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`) || url.startsWith(`${APP_ORIGIN}#`);
}

function originOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  return m ? m[0] : url.slice(0, 40);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export type AppFileLookup = { ok: true; file: string; mime: string } | { ok: false; status: 403 | 404 };

/** Map an app-scheme URL to a file under rootDir; anything escaping rootDir is refused. */
export function appFileFor(rootDir: string, url: string): AppFileLookup {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 404 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { ok: false, status: 403 };
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 404 };
  }
  if (path === '/' || path === '') path = '/index.html';
  const file = normalize(join(rootDir, path));
  const rel = relative(rootDir, file);
  if (rel.startsWith('..') || isAbsolute(rel) || path.includes('\0')) return { ok: false, status: 403 };
  return { ok: true, file, mime: MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
