import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsStore } from './store.ts';

const POP3 = 'webAndEmail.emailClientProtection.emailProtocols.pop3.enabled';
const tempDir = () => mkdtempSync(join(tmpdir(), 'mailward-store-'));

describe('settings store', () => {
  it('moves a corrupt file aside, keeps it, and loads defaults with a warning', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{ not json');
    const store = new SettingsStore(dir);
    expect(store.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(true);
    expect(store.warnings[0]).toMatch(/moved to .*config\.json\.invalid-/);
    const aside = readdirSync(dir).find((f) => f.startsWith('config.json.invalid-'))!;
    expect(readFileSync(join(dir, aside), 'utf8')).toBe('{ not json');
  });

  it('moves aside a file that is JSON but fails the schema', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ scanner: { limits: { archiveDepth: -4 } } }));
    const store = new SettingsStore(dir);
    expect(store.warnings[0]).toMatch(/archiveDepth/);
    expect(store.get().scanner.limits.archiveDepth).toBe(10);
  });

  it('persists a change in the electron-store JSON file and reloads it', () => {
    const dir = tempDir();
    const store = new SettingsStore(dir);
    expect(store.setText(POP3, 'off').ok).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(onDisk.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    expect(new SettingsStore(dir).get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(
      false,
    );
  });

  it('changes nothing when the value is invalid', () => {
    const dir = tempDir();
    const store = new SettingsStore(dir);
    const r = store.setText(POP3, 'maybe');
    expect(r).toEqual({ ok: false, errors: [{ key: POP3, message: '"maybe" is not true or false' }] });
    expect(store.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(true);
  });

  it('sees a change another process wrote', async () => {
    const dir = tempDir();
    const store = new SettingsStore(dir);
    store.watchFile();
    const changed = new Promise((resolve) => store.once('change', resolve));
    new SettingsStore(dir).setText(POP3, 'false');
    await changed;
    expect(store.get().webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    store.close();
  });
});
