// Builds the settings UI to dist/renderer. Relative base: Electron loads it from file://, the console
// serves it from its root.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: join(here, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: join(here, 'dist', 'renderer'),
    emptyOutDir: true,
    // No modulepreload polyfill: it would need an inline script, which the console's CSP forbids.
    modulePreload: { polyfill: false },
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
});
