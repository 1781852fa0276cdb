// The real settings UI, built by vite, in a real Chromium under the desktop app's rules: served from
// the packaged files with the window's CSP header, talking to a stand-in for the preload's
// window.mailward. Proves the CSP lets the packaged UI run (no violations) and that the UI picks the
// Electron API when the preload provides it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings/index.ts';
import { appFileFor, CONTENT_SECURITY_POLICY } from './security.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
let out: string;
let server: Server;
let browser: Browser;
let origin: string;

/** What the preload would expose, answering from fixed data. */
function preloadStandIn(): string {
  const settings = JSON.stringify(defaultSettings());
  return `(() => {
    const status = { enabled: false, paused: true, pausedUntil: null, reason: 'Protection is paused' };
    window.__calls = [];
    const call = (name, value) => (...args) => { window.__calls.push(name); return Promise.resolve(value); };
    window.mailward = {
      getSettings: call('getSettings', ${settings}),
      setSettings: call('setSettings', { ok: true, settings: ${settings} }),
      getStatus: call('getStatus', status),
      pause: call('pause', status),
      resume: call('resume', status),
      listDetections: call('listDetections', []),
      getQuarantinedOriginal: () => Promise.reject({ code: 'not_found', message: 'none' }),
      exportCa: call('exportCa', { pem: '', fingerprint: 'AA', subject: 'Mailward Root CA' }),
      getStats: call('getStats', { since: new Date(0).toISOString(), scanned: 0, detected: 0, cleaned: 0, unscannable: 0 }),
      onEvent: () => () => {},
    };
  })();`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  out = mkdtempSync(join(tmpdir(), 'mailward-renderer-'));
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--logLevel', 'error'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
  // The app scheme's file mapping and header, over loopback HTTP (Chromium has no mailward: scheme).
  server = createServer(async (req, res) => {
    const found = appFileFor(out, `mailward://app${req.url}`);
    if (!found.ok) return void res.writeHead(found.status).end();
    try {
      const body = await readFile(found.file);
      res
        .writeHead(200, { 'Content-Type': found.mime, 'Content-Security-Policy': CONTENT_SECURITY_POLICY })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe.runIf(existsSync(CHROMIUM))('the packaged UI under the desktop CSP', () => {
  it('renders with the preload API and no CSP violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.addInitScript({ content: preloadStandIn() });
    await page.goto(`${origin}/index.html`);
    await page.getByText('Protection is paused').first().waitFor();
    expect(await page.evaluate(() => (window as any).__calls as string[])).toContain('getStatus');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an inline script injected into the page is refused by the CSP', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${origin}/index.html`);
    const ran = await page.evaluate(() => {
      (window as any).__inline = false;
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.head.appendChild(s);
      return (window as any).__inline;
    });
    expect(ran).toBe(false);
    expect(violations.length).toBeGreaterThan(0);
    await page.close();
  });
});
