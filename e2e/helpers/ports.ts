// Free loopback ports and "wait until it accepts" for test servers. Never hard-code ports: other
// helpers run tests at the same time.
import { createServer, connect } from 'node:net';

/** A port the kernel just handed out on 127.0.0.1 (closed again, so a short race remains; callers retry). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort(host));
  return [...ports];
}

function tryConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Resolves when every port accepts a TCP connection; rejects after `timeoutMs` or when `failed()` says so. */
export async function waitForPorts(
  ports: number[],
  opts: { host?: string; timeoutMs?: number; failed?: () => string | null } = {},
): Promise<void> {
  const host = opts.host ?? '127.0.0.1';
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (const port of ports) {
    for (;;) {
      const why = opts.failed?.();
      if (why) throw new Error(why);
      if (await tryConnect(port, host)) break;
      if (Date.now() > deadline) throw new Error(`port ${host}:${port} did not accept connections in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
