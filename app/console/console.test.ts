// The console's security rules, checked over real HTTP and WebSocket connections: without the per-run
// token nothing but the (data-free) app shell is served, foreign Host/Origin are refused (DNS rebinding,
// other web pages), the CSP forbids inline script and framing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../main/engine.ts';
import { startConsole, type RunningConsole } from './start.ts';

let dir: string;
let engine: Engine;
let consoleApp: RunningConsole;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailward-console-test-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Mailward</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  engine = new Engine({ dataDir: join(dir, 'data') });
  consoleApp = (await startConsole(engine, { port: 0, print: (l) => lines.push(l), rendererDir: renderer }))!;
});

afterAll(async () => {
  await consoleApp?.close();
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: consoleApp.port,
        path,
        method: opts.method ?? 'GET',
        headers: { Host: `127.0.0.1:${consoleApp.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, headers: Record<string, string> = {}, args: unknown[] = []) =>
  http(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
const bearer = () => ({ Authorization: `Bearer ${consoleApp.token}` });

describe('the console', () => {
  it('prints its address with the token in the fragment', () => {
    expect(lines).toContain(`console http://127.0.0.1:${consoleApp.port}/#token=${consoleApp.token}`);
    expect(consoleApp.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('answers API calls that carry the token', async () => {
    const r = await api('getSettings', bearer());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).value.webAndEmail.sslTls.mode).toBe('automatic');
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer wrong' }],
    ['a token one character short', { Authorization: `Bearer ${'x'.repeat(31)}` }],
  ])('with %s: 401 and no data', async (_name, headers) => {
    for (const method of ['getSettings', 'listDetections', 'getStatus', 'exportCa']) {
      const r = await api(method, headers);
      expect(r.status).toBe(401);
      expect(r.body).not.toMatch(/webAndEmail|automatic|enabled/);
      expect(JSON.parse(r.body)).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'Missing or wrong console token' },
      });
    }
  });

  it('refuses a foreign Host (DNS rebinding) with 403, even with the token', async () => {
    const r = await api('getSettings', { ...bearer(), Host: `attacker.example:${consoleApp.port}` });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('webAndEmail');
    expect((await http('/', { headers: { Host: 'attacker.example' } })).status).toBe(403);
  });

  it('refuses requests from another web page (Origin) with 403', async () => {
    const r = await api('getSettings', { ...bearer(), Origin: 'http://attacker.example' });
    expect(r.status).toBe(403);
    const own = await api('getSettings', { ...bearer(), Origin: `http://localhost:${consoleApp.port}` });
    expect(own.status).toBe(200);
  });

  it('serves the app shell with a strict CSP and no framing', async () => {
    const r = await http('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Mailward</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await http('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('serves nothing outside the renderer folder', async () => {
    expect((await http('/../data/config.json')).status).toBe(404);
    expect((await http('/%2e%2e/data/config.json')).status).toBe(404);
  });

  it('checks API arguments before the engine sees them', async () => {
    const r = await api('pause', bearer(), ['ten minutes']);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('invalid_input');
    const unknown = await api('deleteEverything', bearer());
    expect(unknown.status).toBe(404);
  });

  it('returns field errors for invalid settings and changes nothing', async () => {
    const r = await api('setSettings', bearer(), [
      { webAndEmail: { emailClientProtection: { emailProtocols: { pop3s: { ports: [993] } } } } },
    ]);
    expect(JSON.parse(r.body).value).toEqual({
      ok: false,
      errors: [
        {
          key: 'webAndEmail.emailClientProtection.emailProtocols.pop3s.ports',
          message: 'Port 993 is already used by IMAPS',
        },
      ],
    });
    expect(engine.currentSettings().webAndEmail.emailClientProtection.emailProtocols.pop3s.ports).toEqual([
      995,
    ]);
  });

  it('refuses a WebSocket without the token, or from another origin', async () => {
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.on('open', () => reject(new Error('opened')));
        ws.on('error', () => undefined);
      });
    const base = `ws://127.0.0.1:${consoleApp.port}/api/events`;
    expect(await refused(base)).toBe(401);
    expect(await refused(`${base}?token=wrong`)).toBe(401);
    expect(await refused(`${base}?token=${consoleApp.token}`, { Origin: 'http://attacker.example' })).toBe(
      403,
    );
  });

  it('streams engine events to a WebSocket with the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${consoleApp.port}/api/events?token=${consoleApp.token}`);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const got = new Promise<any>((resolve) =>
      ws.on('message', (m) => {
        const e = JSON.parse(String(m));
        if (e.type === 'settings') resolve(e);
      }),
    );
    engine.settings.setText('webAndEmail.emailClientProtection.emailProtocols.pop3.enabled', 'false');
    expect((await got).settings.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    ws.close();
  });

  it('does not bind beyond loopback unless the flag says so', async () => {
    await expect(startConsole(engine, { port: 0, host: '0.0.0.0', print: () => undefined })).rejects.toThrow(
      /binds only to loopback/,
    );
  });
});
