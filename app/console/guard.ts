// The console's front door. It listens on loopback, but any web page the user visits can make the browser
// send requests to 127.0.0.1, and a DNS-rebinding page can even make them look same-origin. So:
// - Host must name the console itself (127.0.0.1:PORT / localhost:PORT / [::1]:PORT): a rebinding page's
//   requests carry its own host name and are refused with 403;
// - Origin, when the browser sends one, must be the console's own origin (403 otherwise);
// - every API request and the WebSocket carry the per-run token (401 and no data otherwise). The token is
//   printed to the user's terminal and reaches the page in the URL fragment, which browsers never send.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardConfig {
  token: string;
  port: number;
  /** Extra host names the console answers to (the bind address when exposed beyond loopback). */
  extraHosts?: string[];
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

function allowedHosts(cfg: GuardConfig): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(cfg.extraHosts ?? [])];
  return new Set(names.map((n) => `${n}:${cfg.port}`.toLowerCase()));
}

export function allowedOrigins(cfg: GuardConfig): string[] {
  return [...allowedHosts(cfg)].map((h) => `http://${h}`);
}

export function checkHostAndOrigin(req: IncomingMessage, cfg: GuardConfig): GuardVerdict {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(cfg).has(host))
    return { ok: false, status: 403, message: 'This console only answers to 127.0.0.1 and localhost' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(cfg).includes(origin.toLowerCase()))
    return { ok: false, status: 403, message: 'Requests from other web pages are refused' };
  return { ok: true };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer …` (HTTP) or `?token=` (WebSocket: browsers cannot set headers there). */
export function checkToken(req: IncomingMessage, cfg: GuardConfig, allowQuery: boolean): GuardVerdict {
  const auth = req.headers.authorization ?? '';
  let given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (!given && allowQuery) {
    const url = new URL(req.url ?? '/', 'http://console');
    given = url.searchParams.get('token') ?? '';
  }
  if (!given || !sameToken(given, cfg.token))
    return { ok: false, status: 401, message: 'Missing or wrong console token' };
  return { ok: true };
}

/** Headers on every response: a strict CSP (no inline script or style, no framing), no sniffing, no referrer. */
export function securityHeaders(cfg: GuardConfig): Record<string, string> {
  // CSP host sources cannot name IPv6 literals; 'self' covers the origin the page was loaded from.
  const ws = [...allowedHosts(cfg)]
    .filter((h) => !h.startsWith('['))
    .map((h) => `ws://${h}`)
    .join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
