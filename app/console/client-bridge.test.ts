// The renderer's console client (renderer/api/http-client.ts) against the real console: the same calls
// and events the browser makes, from Node (ws stands in for the browser's WebSocket).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../main/engine.ts';
import type { ApiEvent } from '../../shared/api.ts';
import { ApiCallError, createHttpApi } from '../../renderer/api/http-client.ts';
import { startConsole, type RunningConsole } from './start.ts';

let dir: string;
let engine: Engine;
let app: RunningConsole;
let origin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailward-console-client-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  engine = new Engine({ dataDir: join(dir, 'data') });
  app = (await startConsole(engine, {
    port: 0,
    print: () => undefined,
    rendererDir: join(dir, 'renderer'),
  }))!;
  origin = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app?.close();
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (token: string) =>
  createHttpApi({ origin, token, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });

it('reads and writes settings; invalid ones come back as field errors', async () => {
  const api = client(app.token);
  expect((await api.getSettings()).webAndEmail.sslTls.mode).toBe('automatic');
  const s = await api.getSettings();
  s.webAndEmail.emailClientProtection.alerts.subjectTemplate = 'two\nlines';
  expect(await api.setSettings(s)).toEqual({
    ok: false,
    errors: [
      {
        key: 'webAndEmail.emailClientProtection.alerts.subjectTemplate',
        message: 'The subject template must be one line',
      },
    ],
  });
  s.webAndEmail.emailClientProtection.alerts.subjectTemplate = '[virus %DETECTIONNAME%]';
  const r = await api.setSettings(s);
  expect(r.ok).toBe(true);
  expect(engine.currentSettings().webAndEmail.emailClientProtection.alerts.subjectTemplate).toBe(
    '[virus %DETECTIONNAME%]',
  );
});

it('pauses and resumes protection', async () => {
  const api = client(app.token);
  expect(await api.pause(10)).toMatchObject({ enabled: false, paused: true });
  expect(await api.resume()).toMatchObject({ enabled: true, paused: false });
});

it('a wrong token is refused with 401', async () => {
  const err = await client('wrong')
    .getSettings()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).error.status).toBe(401);
});

it('delivers engine events to subscribers', async () => {
  const api = client(app.token);
  const events: ApiEvent[] = [];
  const off = api.onEvent((e) => events.push(e));
  // The socket opens asynchronously: change settings until the event arrives (bounded).
  for (let i = 0; i < 50 && !events.some((e) => e.type === 'status' && e.status.paused); i++) {
    engine.pause(60_000);
    await new Promise((r) => setTimeout(r, 50));
  }
  engine.resume();
  off();
  expect(events.some((e) => e.type === 'status' && e.status.paused)).toBe(true);
});
