// Routes: explicit local listeners, `LISTEN=UPSTREAM`, e.g. `2995=pop3s://mail.example.com:995`.
// LISTEN is `[HOST:]PORT` (host 127.0.0.1 by default, `[::1]:PORT` for IPv6; port 0 = any free port);
// UPSTREAM is `pop3|pop3s|imap|imaps://HOST[:PORT]` (the scheme's standard port by default).
import type { MailProtocolName } from '../pipeline/types.ts';
import type { Route } from '../../shared/settings/index.ts';

export interface ParsedRoute {
  scheme: MailProtocolName;
  listenHost: string;
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
  /** Implicit TLS on both sides (pop3s, imaps). */
  implicitTls: boolean;
}

export const DEFAULT_PORTS: Record<MailProtocolName, number> = {
  pop3: 110,
  pop3s: 995,
  imap: 143,
  imaps: 993,
};

export class RouteError extends Error {
  readonly code = 'invalid_route';
}

function port(text: string, what: string, allowZero: boolean): number {
  if (!/^\d{1,5}$/.test(text)) throw new RouteError(`${what} "${text}" is not a port number`);
  const n = Number(text);
  if (n > 65535 || (n === 0 && !allowZero)) throw new RouteError(`${what} ${n} is out of range 1–65535`);
  return n;
}

/** `[HOST:]PORT` → host and port. */
function parseListen(text: string): { host: string; port: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  if (v6) return { host: v6[1], port: port(v6[2], 'Listen port', true) };
  const i = text.lastIndexOf(':');
  if (i < 0) return { host: '127.0.0.1', port: port(text, 'Listen port', true) };
  const host = text.slice(0, i);
  if (!host || host.includes(':')) throw new RouteError(`Listen address "${text}" is not [HOST:]PORT`);
  return { host, port: port(text.slice(i + 1), 'Listen port', true) };
}

export function parseRoute(text: string | Route): ParsedRoute {
  const [listen, upstream] =
    typeof text === 'string'
      ? (() => {
          const eq = text.indexOf('=');
          if (eq < 0) throw new RouteError(`Route "${text}" is not LISTEN=UPSTREAM`);
          return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
        })()
      : [text.listen, text.upstream];
  const l = parseListen(listen);
  const m = /^(pop3s?|imaps?):\/\/(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(?::(\d+))?\/?$/i.exec(upstream);
  if (!m) throw new RouteError(`Upstream "${upstream}" is not pop3|pop3s|imap|imaps://HOST[:PORT]`);
  const scheme = m[1].toLowerCase() as MailProtocolName;
  return {
    scheme,
    listenHost: l.host,
    listenPort: l.port,
    upstreamHost: m[2].replace(/^\[|\]$/g, ''),
    upstreamPort: m[3] ? port(m[3], 'Upstream port', false) : DEFAULT_PORTS[scheme],
    implicitTls: scheme === 'pop3s' || scheme === 'imaps',
  };
}

const hostPort = (host: string, p: number) => (host.includes(':') ? `[${host}]:${p}` : `${host}:${p}`);

export function formatUpstream(r: ParsedRoute): string {
  return `${r.scheme}://${hostPort(r.upstreamHost, r.upstreamPort)}`;
}

/** The line `mailward run` prints per listener: `listening pop3s 127.0.0.1:2995 -> pop3s://mail.example.com:995`. */
export function listeningLine(r: ParsedRoute, boundPort: number): string {
  return `listening ${r.scheme} ${hostPort(r.listenHost, boundPort)} -> ${formatUpstream(r)}`;
}
