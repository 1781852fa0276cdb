// Bundles the Electron main process (dist/electron/main.mjs) and the preload (dist/electron/preload.cjs)
// with esbuild, and copies the tray and window icons. The renderer is built by vite (build:renderer).
// Everything the main process needs is bundled, so the packaged app carries no node_modules.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// MAILWARD_BUILD_OUT: build elsewhere (the bundle test builds into a temporary folder).
const out = process.env.MAILWARD_BUILD_OUT || join(root, 'dist', 'electron');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The preload uses only channel names from shared/api.ts; the argument schemas there (zod) are for the
 * main process, which parses every payload. Replacing zod with an inert stand-in keeps ~700 KB of
 * unused code out of the page's privileged context (bundle.test.ts checks the preload still works).
 */
const noZodInPreload: Plugin = {
  name: 'no-zod-in-preload',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, () => ({ path: 'zod', namespace: 'inert' }));
    b.onLoad({ filter: /.*/, namespace: 'inert' }, () => ({
      contents:
        'const inert = new Proxy(function () {}, { get: () => inert, apply: () => inert }); export const z = inert;',
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'app/electron/main.ts')],
    outfile: join(out, 'main.mjs'),
    format: 'esm',
    // Electron 41 runs Node 24; bundled CommonJS dependencies still call require().
    target: 'node22',
    banner: {
      js: "import { createRequire as __mwCreateRequire } from 'node:module'; const require = __mwCreateRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: [join(root, 'app/electron/preload.ts')],
    outfile: join(out, 'preload.cjs'),
    // Sandboxed preloads are CommonJS and may require only 'electron' (and a few polyfilled modules).
    format: 'cjs',
    target: 'chrome130',
    plugins: [noZodInPreload],
  }),
]);

cpSync(join(root, 'app/electron/assets'), join(out, 'assets'), {
  recursive: true,
  filter: (src) => !src.endsWith('.ts'),
});
process.stdout.write(`built ${out}/main.mjs, preload.cjs, assets/\n`);
