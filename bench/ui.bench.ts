// The settings UI: size of the built renderer's JavaScript (raw and gzip) and how long the console takes
// to show a usable page in Chromium (fresh browser context each time, so nothing is cached). Goal: < 1 s.
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { Engine } from '../main/engine.ts';
import { startConsole } from '../app/console/start.ts';
import { buildRenderer, RENDERER_DIR } from '../app/console/renderer-build.ts';
import { CHROMIUM_LAUNCH } from '../playwright.config.ts';
import type { BenchSection } from './run.ts';

const RUNS = 15;

function bundleFigures(): { file: string; raw: number; gzip: number }[] {
  const assets = join(RENDERER_DIR, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => {
      const body = readFileSync(join(assets, f));
      return { file: f, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
    });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

export async function run(): Promise<BenchSection[]> {
  // A fresh build, so the figures are for the code as it is now.
  buildRenderer({ onlyIfMissing: false });
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('renderer build failed');
  const files = bundleFigures();

  const dataDir = mkdtempSync(join(tmpdir(), 'mailward-bench-ui-'));
  const engine = new Engine({ dataDir });
  const app = (await startConsole(engine, { port: 0, print: () => undefined }))!;
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const load = loadavg()[0].toFixed(1);
  const ready: number[] = [];
  const dcl: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(app.url);
      // Usable: the status page shows the protection state, which needs the API answers too.
      await page.getByRole('heading', { name: /You are protected|Protection is off/ }).waitFor();
      const t1 = performance.now();
      const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
      await context.close();
      if (i === 0) continue; // warm-up: Chromium's first context start
      ready.push(t1 - t0);
      dcl.push((nav as PerformanceNavigationTiming).domContentLoadedEventEnd);
    }
  } finally {
    await browser.close();
    await app.close();
    engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  ready.sort((a, b) => a - b);
  dcl.sort((a, b) => a - b);
  const js = files.filter((f) => f.file.endsWith('.js'));
  const total = (k: 'raw' | 'gzip') => js.reduce((n, f) => n + f[k], 0);

  const sizeTable = [
    '| file | raw | gzip |',
    '| --- | ---: | ---: |',
    ...files.map((f) => `| \`${f.file.replace(/-[\w-]{8}\./, '-HASH.')}\` | ${kb(f.raw)} | ${kb(f.gzip)} |`),
    `| **JavaScript total** | **${kb(total('raw'))}** | **${kb(total('gzip'))}** |`,
  ].join('\n');
  const loadTable = [
    '| measure | median | p90 | max |',
    '| --- | ---: | ---: | ---: |',
    `| navigation to usable status page | ${pct(ready, 0.5).toFixed(0)} ms | ${pct(ready, 0.9).toFixed(0)} ms | ${ready[ready.length - 1].toFixed(0)} ms |`,
    `| DOMContentLoaded | ${pct(dcl, 0.5).toFixed(0)} ms | ${pct(dcl, 0.9).toFixed(0)} ms | ${dcl[dcl.length - 1].toFixed(0)} ms |`,
  ].join('\n');
  return [
    {
      title: 'Settings UI bundle',
      markdown: `${sizeTable}\n\nThe production build (\`npm run build:renderer\`, Vite) in dist/renderer; gzip at level 9. React, react-dom, zustand and the shared zod schema are in the one bundle.`,
    },
    {
      title: 'Settings UI load time',
      markdown: `${loadTable}\n\nDebian's Chromium (headless) loading the console from \`startConsole\` on 127.0.0.1, ${RUNS} runs, each in a fresh browser context (empty cache), after one warm-up. "Usable" means the status page's heading is rendered, i.e. the bundle ran and the API answered. Load average at the start: ${load} on this machine (other work running raises the tail). Goal: under 1 s.`,
    },
  ];
}
