// Persisted settings: electron-store's file format (`config.json` in the data dir), validated with the
// shared schema. The desktop host injects an electron-store instance; plain Node hosts (CLI, headless
// service) use `conf`, which electron-store wraps: the same file either way. A corrupt or invalid file
// is moved aside, never deleted.
import Conf from 'conf';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, renameSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import {
  applyTextValue,
  defaultSettings,
  validateSettings,
  type SetResult,
  type Settings,
} from '../../shared/settings/index.ts';
import type { Logger } from '../log.ts';

export const SETTINGS_FILE = 'config.json';

/**
 * The JSON file the settings live in: `conf` and `electron-store` instances both fit (main/ must not
 * import electron, so the desktop host passes its electron-store in through a factory).
 */
export interface SettingsBacking {
  get store(): Record<string, unknown>;
  set store(value: Record<string, unknown>);
  readonly path: string;
}

/** Called with the data dir once a corrupt file has been moved aside, so it never sees that file. */
export type SettingsBackingFactory = (dataDir: string) => SettingsBacking;

/** Plain Node: `conf` on `<dataDir>/config.json`, with the options electron-store would use. */
export const confBacking: SettingsBackingFactory = (dataDir) =>
  new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: 'config',
    projectName: 'mailward',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });

export interface SettingsStoreEvents {
  change: [Settings];
}

export class SettingsStore extends EventEmitter<SettingsStoreEvents> {
  /** Problems found on load (e.g. a corrupt file moved aside), for hosts to show. */
  readonly warnings: string[] = [];
  private current: Settings;
  private readonly backing: SettingsBacking;
  private watcher?: FSWatcher;
  private lastWritten = '';

  constructor(
    readonly dataDir: string,
    private readonly log?: Logger,
    createBacking: SettingsBackingFactory = confBacking,
  ) {
    super();
    this.current = this.loadOrMoveAside();
    this.backing = createBacking(dataDir);
    this.persist(this.current);
  }

  get(): Settings {
    return this.current;
  }

  /** Replace the whole settings object; invalid input changes nothing and returns field errors. */
  set(candidate: unknown): SetResult {
    const result = validateSettings(candidate);
    if (result.ok) this.commit(result.settings);
    return result;
  }

  /** Change one key from its text form (as typed in the UI or on the command line). */
  setText(key: string, text: string): SetResult {
    const result = applyTextValue(this.current, key, text);
    if (result.ok) this.commit(result.settings);
    return result;
  }

  /** Pick up edits made by another process (CLI `settings set` while the service runs). */
  watchFile(): void {
    if (this.watcher) return;
    let timer: NodeJS.Timeout | undefined;
    this.watcher = watch(this.dataDir, (_event, name) => {
      if (name !== SETTINGS_FILE) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.reloadFromDisk(), 50);
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private reloadFromDisk(): void {
    const path = join(this.dataDir, SETTINGS_FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    if (text === this.lastWritten) return;
    try {
      const result = validateSettings(JSON.parse(text));
      if (!result.ok) {
        this.log?.warn(
          { errors: result.errors },
          'settings file changed but is invalid; keeping current settings',
        );
        return;
      }
      this.lastWritten = text;
      this.current = result.settings;
      this.log?.info('settings reloaded from disk');
      this.emit('change', this.current);
    } catch {
      // A half-written file: the next change event will bring the complete one.
    }
  }

  private commit(next: Settings): void {
    this.current = next;
    this.persist(next);
    this.emit('change', next);
  }

  private persist(settings: Settings): void {
    this.backing.store = settings as unknown as Record<string, unknown>;
    try {
      this.lastWritten = readFileSync(this.backing.path, 'utf8');
    } catch {
      this.lastWritten = '';
    }
  }

  private loadOrMoveAside(): Settings {
    const path = join(this.dataDir, SETTINGS_FILE);
    if (!existsSync(path)) return defaultSettings();
    let reason: string;
    try {
      const result = validateSettings(JSON.parse(readFileSync(path, 'utf8')));
      if (result.ok) return result.settings;
      reason = result.errors.map((e) => `${e.key}: ${e.message}`).join('; ');
    } catch (err) {
      reason = `not valid JSON (${(err as Error).message})`;
    }
    const aside = `${path}.invalid-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, aside);
    const warning = `Settings file was invalid (${reason}); it was moved to ${aside} and defaults were loaded.`;
    this.warnings.push(warning);
    this.log?.warn({ file: aside, reason }, 'settings file invalid; moved aside, defaults loaded');
    return defaultSettings();
  }
}
