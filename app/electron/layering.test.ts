// The layering lint rules (eslint.config.js) really fail: only app/electron may import electron —
// statically, dynamically or with require — and main/ never imports renderer/.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('layering lint rules', () => {
  it('main/ importing electron fails, in every form', async () => {
    const forms = [
      "import { app } from 'electron';\nexport const a = app;\n",
      "import type { App } from 'electron';\nexport type A = App;\n",
      "export const m = await import('electron');\n",
      "export const m = require('electron/main');\n",
      "import electron = require('electron');\nexport const e = electron;\n",
      "export { app } from 'electron';\n",
    ];
    for (const code of forms) {
      expect(await layeringErrors('main/engine-probe.ts', code), code).toEqual([
        expect.stringContaining('Only app/electron may import electron.'),
      ]);
    }
  });

  it('other hosts and shared/ may not import electron either', async () => {
    for (const file of [
      'app/cli/probe.ts',
      'app/service/probe.ts',
      'app/api/probe.ts',
      'shared/probe.ts',
      'renderer/probe.tsx',
      'scripts/probe.mjs',
    ]) {
      expect(
        await layeringErrors(file, "import { app } from 'electron';\nexport const a = app;\n"),
        file,
      ).toHaveLength(1);
    }
  });

  it('main/ importing from renderer/ fails', async () => {
    expect(
      await layeringErrors(
        'main/proxy/probe.ts',
        "import { x } from '../../renderer/store.ts';\nexport const y = x;\n",
      ),
    ).toEqual([expect.stringContaining('main/ must not import renderer/.')]);
    expect(
      await layeringErrors('main/probe.ts', "export const m = await import('../renderer/App.tsx');\n"),
    ).toEqual([expect.stringContaining('main/ must not import renderer/.')]);
  });

  it('app/electron may import electron', async () => {
    expect(
      await layeringErrors(
        'app/electron/probe.ts',
        "import { app } from 'electron';\nexport const m = await import('electron');\nexport const a = app;\n",
      ),
    ).toEqual([]);
  });

  it('electron-store (which imports electron) is for app/electron only, in every form', async () => {
    const forms = [
      "import Store from 'electron-store';\nexport const s = Store;\n",
      "export const m = await import('electron-store');\n",
      "export const m = require('electron-store');\n",
    ];
    for (const file of ['main/settings/probe.ts', 'app/cli/probe.ts', 'shared/probe.ts'])
      for (const code of forms)
        expect(await layeringErrors(file, code), `${file}: ${code}`).toEqual([
          expect.stringContaining('Only app/electron may import electron-store'),
        ]);
    for (const code of forms) expect(await layeringErrors('app/electron/probe.ts', code), code).toEqual([]);
  });

  it('an ordinary module name that merely starts with "electron" is not caught', async () => {
    expect(
      await layeringErrors(
        'main/probe.ts',
        "import v from 'electron-to-chromium';\nexport const m = await import('electron-store-like');\nexport const s = v;\n",
      ),
    ).toEqual([]);
  });
});
