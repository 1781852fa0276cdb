import { defineConfig } from 'vitest/config';

// One runner for unit, integration and real-client e2e tests (e2e/*.test.ts).
// Browser tests run under Playwright Test (e2e/*.spec.ts), not here.
export default defineConfig({
  test: {
    include: ['{main,shared,app,renderer,e2e,test}/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // electron-store imports `electron`: inlined, it gets the tests' vi.mock('electron') fake.
    server: { deps: { inline: ['electron-store'] } },
  },
});
