// Serves the packaged renderer (dist/renderer) under mailward://app/ with the CSP as a real header.
// A custom standard scheme gives the window a proper origin to check IPC senders against, which
// file:// does not, and keeps every other file on disk out of the renderer's reach.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, appFileFor } from './security.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export async function serveAppRequest(rootDir: string, url: string): Promise<Response> {
  const found = appFileFor(rootDir, url);
  if (!found.ok) return new Response(null, { status: found.status });
  try {
    const body = await readFile(found.file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': found.mime,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response(null, { status: 404 });
  }
}

/** After ready: answer the scheme from rootDir only. */
export function handleAppScheme(rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rootDir, request.url));
}
