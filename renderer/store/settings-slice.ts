// Settings as the user edits them: the saved copy from the engine, staged edits (text as typed), and the
// messages for invalid fields. OK sends the whole candidate through the API; Cancel drops the staged edits.
import type { StateCreator } from 'zustand';
import type { MailwardApi } from '../../shared/api.ts';
import type { Settings } from '../../shared/settings/index.ts';
import { pageKeys, type PageId } from '../../shared/settings/meta.ts';
import type { AppState } from './index.ts';
import {
  defaultText,
  keyForPath,
  textOf,
  validateStaged,
  type FieldErrors,
  type Staged,
} from './validate.ts';

export interface SettingsSlice {
  saved: Settings | null;
  staged: Staged;
  errors: FieldErrors;
  /** Set when OK failed for a reason that is not a field (connection lost…). */
  applyError: string | null;
  applying: boolean;
  loadSettings(): Promise<void>;
  /** Stage the text the user typed for KEY (or the checkbox/choice value as text). */
  stage(key: string, text: string): void;
  revertToDefault(key: string): void;
  revertPageToDefaults(page: PageId): void;
  cancel(): void;
  /** Validate and apply; resolves true when the engine took the settings. */
  apply(): Promise<boolean>;
  /** Settings changed elsewhere (CLI, another window): take them, keep the user's edits on top. */
  receiveSettings(settings: Settings): void;
}

export type Slice<T> = StateCreator<AppState, [], [], T>;

/** The text a field shows: the user's staged edit, else the saved value ('' before settings loaded). */
export function fieldText(s: Pick<SettingsSlice, 'saved' | 'staged'>, key: string): string {
  return s.staged[key] ?? (s.saved ? textOf(s.saved, key) : '');
}

/** Stage or unstage `text` for `key`, then recompute every field's message. */
function withStaged(saved: Settings, staged: Staged, changes: Record<string, string>) {
  const next = { ...staged };
  for (const [key, text] of Object.entries(changes)) {
    if (text === textOf(saved, key)) delete next[key];
    else next[key] = text;
  }
  return { staged: next, errors: validateStaged(saved, next).errors, applyError: null };
}

export const createSettingsSlice =
  (api: MailwardApi): Slice<SettingsSlice> =>
  (set, get) => ({
    saved: null,
    staged: {},
    errors: {},
    applyError: null,
    applying: false,
    async loadSettings() {
      get().receiveSettings(await api.getSettings());
    },
    stage(key, text) {
      const { saved, staged } = get();
      if (saved) set(withStaged(saved, staged, { [key]: text }));
    },
    revertToDefault(key) {
      get().stage(key, defaultText(key));
    },
    revertPageToDefaults(page) {
      const { saved, staged } = get();
      if (!saved) return;
      set(withStaged(saved, staged, Object.fromEntries(pageKeys(page).map((k) => [k, defaultText(k)]))));
    },
    cancel() {
      set({ staged: {}, errors: {}, applyError: null });
    },
    async apply() {
      const { saved, staged } = get();
      if (!saved) return false;
      const { candidate, errors } = validateStaged(saved, staged);
      if (Object.keys(errors).length > 0) {
        set({ errors });
        return false;
      }
      set({ applying: true, applyError: null });
      try {
        const result = await api.setSettings(candidate);
        if (result.ok) {
          set({ saved: result.settings, staged: {}, errors: {}, applying: false });
          return true;
        }
        const fieldErrors: FieldErrors = {};
        for (const e of result.errors) fieldErrors[keyForPath(e.key.split('.'))] ??= e.message;
        set({ errors: fieldErrors, applying: false });
        return false;
      } catch (err) {
        set({ applyError: `The settings were not saved: ${(err as Error).message}`, applying: false });
        return false;
      }
    },
    receiveSettings(settings) {
      const { staged } = get();
      set({ saved: settings, ...withStaged(settings, {}, staged) });
    },
  });
