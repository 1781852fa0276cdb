// The desktop host keeps its settings with electron-store (the library the product's file format comes
// from); the engine stays electron-free and takes it through EngineOptions.settingsBacking. The
// options match main/settings/store.ts's `conf` backing, so the CLI and the app share one file.
import Store from 'electron-store';
import type { SettingsBackingFactory } from '../../main/settings/store.ts';

export const electronStoreBacking: SettingsBackingFactory = (dataDir) =>
  new Store<Record<string, unknown>>({
    cwd: dataDir,
    name: 'config',
    // An invalid file is moved aside by SettingsStore before this runs; never let the library wipe it.
    clearInvalidConfig: false,
    // Settings keys are dot paths into nested objects, never literal keys with dots.
    accessPropertiesByDotNotation: false,
  });
