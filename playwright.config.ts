// Browser tests (e2e/*.spec.ts) with Debian's Chromium against `mailward run` and a real Dovecot.
// One worker: the tests start real servers and the machine has two cores.
import { defineConfig } from '@playwright/test';

/** Debian's Chromium, headless in a container: the browser specs and bench/ui.bench.ts launch it alike. */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  workers: 1,
  retries: process.env.CI ? 2 : 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 860 },
    launchOptions: CHROMIUM_LAUNCH,
  },
});
