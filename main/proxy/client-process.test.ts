import { describe, expect, it } from 'vitest';
import { createServer, connect, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { localClientProgram, isExcludedProgram } from './client-process.ts';

describe('the program behind a local connection', () => {
  it.runIf(process.platform === 'linux')('is found for a client in another process (curl)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const accepted = new Promise<import('node:net').Socket>((r) => server.once('connection', r));
    const curl = spawn('curl', ['-s', '--max-time', '5', `telnet://127.0.0.1:${port}`], { stdio: 'ignore' });
    const socket = await accepted;
    try {
      expect(await localClientProgram(socket.remotePort!, port)).toBe('/usr/bin/curl');
    } finally {
      curl.kill();
      socket.destroy();
      server.close();
    }
  });

  it('is not claimed for a connection that does not exist', async () => {
    expect(await localClientProgram(1, 2)).toBeNull();
  });

  it('is not reported for our own process (the proxy never excludes itself)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    expect(await localClientProgram(client.localPort!, port)).toBeNull();
    client.destroy();
    server.close();
  });
});

describe('excluded program list', () => {
  it('matches a full path or a bare program name, nothing else', () => {
    expect(isExcludedProgram('/usr/bin/curl', ['/usr/bin/curl'])).toBe('/usr/bin/curl');
    expect(isExcludedProgram('/usr/bin/curl', ['curl'])).toBe('curl');
    expect(isExcludedProgram('/usr/bin/curl', ['/opt/curl', 'cur'])).toBeNull();
    expect(isExcludedProgram('/usr/bin/fetchmail', ['curl'])).toBeNull();
  });
});
