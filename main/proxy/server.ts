// The proxy's listeners. Per route it listens; per client it looks up whether the client program is
// excluded, then hands the socket to a Session (session.ts; TLS steps in session-tls.ts) — together the
// only modules of the proxy that touch sockets. Implicit-TLS routes terminate TLS on the client leg as well.
// Errors end one session, never the process.
import { createServer, type Server, type Socket } from 'node:net';
import type { Engine } from '../engine.ts';
import type { Logger } from '../log.ts';
import type { TlsInterceptor } from '../tls/interceptor.ts';
import { isExcludedProgram, localClientProgram } from './client-process.ts';
import type { ParsedRoute } from './routes.ts';
import { Session } from './session.ts';

export interface ProxyServerOptions {
  engine: Engine;
  tls: TlsInterceptor;
  log: Logger;
}

export interface BoundListener {
  route: ParsedRoute;
  host: string;
  port: number;
  /** Stop accepting on this listener (sessions already open go on). */
  close(): Promise<void>;
}

export class ProxyServer {
  private readonly servers: Server[] = [];
  private readonly sessions = new Set<Session>();

  constructor(private readonly opts: ProxyServerOptions) {}

  /** Listen for one route; resolves with the bound address (port 0 in the route = any free port). */
  listen(route: ParsedRoute): Promise<BoundListener> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) =>
        this.accept(route, socket),
      );
      server.once('error', reject);
      server.listen(route.listenPort, route.listenHost, () => {
        server.off('error', reject);
        server.on('error', (err) => this.opts.log.error({ err: err.message }, 'listener error'));
        this.servers.push(server);
        const addr = server.address();
        resolve({
          route,
          host: route.listenHost,
          port: typeof addr === 'object' && addr ? addr.port : 0,
          close: () => {
            this.servers.splice(this.servers.indexOf(server) >>> 0, 1);
            // Resolves once stopped accepting; sessions already open go on.
            return new Promise((r) => {
              server.close();
              setImmediate(r);
            });
          },
        });
      });
    });
  }

  /** Stop listening and end every session (aborting those that do not finish within the grace time). */
  async close(): Promise<void> {
    // server.close() calls back only once its connections are gone: stop accepting, end sessions, then wait.
    const stopped = this.servers.map((s) => new Promise((r) => s.close(r)));
    await Promise.all([...this.sessions].map((s) => s.shutdown('service stopping')));
    await Promise.all(stopped);
  }

  private accept(route: ParsedRoute, socket: Socket): void {
    const excludedApps =
      this.opts.engine.currentSettings().webAndEmail.protocolFiltering.excludedApplications;
    if (excludedApps.length > 0 && isLoopback(socket.remoteAddress)) {
      // Only then is the client program looked up (it costs a walk of /proc); it stays paused meanwhile.
      void localClientProgram(socket.remotePort ?? 0, socket.localPort ?? 0)
        .catch(() => null)
        .then((program) => {
          // The socket is paused (no EOF seen until read), but it may have been destroyed meanwhile.
          if (socket.destroyed) return;
          this.startSession(route, socket, program && isExcludedProgram(program, excludedApps));
        });
    } else this.startSession(route, socket, null);
  }

  private startSession(route: ParsedRoute, socket: Socket, excludedProgram: string | null): void {
    try {
      const session = new Session(route, socket, this.opts, () => this.sessions.delete(session));
      this.sessions.add(session);
      session.start(excludedProgram);
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'could not start a session');
      socket.destroy();
    }
  }
}

const isLoopback = (address?: string) =>
  !!address && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));
