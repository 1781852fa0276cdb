// Staged edits are kept as the text the user typed. This module turns them into a candidate settings
// object and per-field messages, using the shared parsers and the shared schema — no rules of its own,
// only wording for the schema's generic number messages.
import type { z } from 'zod';
import {
  defaultSettings,
  formatTextValue,
  getAtPath,
  parseTextValue,
  setAtPath,
  settingKeys,
  settingsSchema,
  type Settings,
} from '../../shared/settings/index.ts';
import { settingMeta } from '../../shared/settings/meta.ts';

export type Staged = Record<string, string>;
export type FieldErrors = Record<string, string>;

const MULTILINE = new Set(['list', 'addresses', 'routes']);

/** The text a field shows for a value: lists one item per line in text areas, as typed elsewhere. */
export function textOf(settings: Settings, key: string): string {
  const value = getAtPath(settings, key);
  if (MULTILINE.has(settingMeta(key).control) && Array.isArray(value))
    return formatTextValue(key, value).split(', ').join('\n');
  return formatTextValue(key, value);
}

let defaults: Settings | null = null;
export function defaultText(key: string): string {
  defaults ??= defaultSettings();
  return textOf(defaults, key);
}

const KEYS = new Set(settingKeys());

/** The settings key an issue belongs to: `routes.0.listen` belongs to the `routes` field. */
export function keyForPath(path: readonly PropertyKey[]): string {
  const parts = path.filter((p) => typeof p === 'string') as string[];
  while (parts.length > 1 && !KEYS.has(parts.join('.'))) parts.pop();
  return parts.join('.');
}

function describeIssue(key: string, issue: z.core.$ZodIssue, value: unknown): string {
  const unit = settingMeta(key).unit;
  const fmt = (n: unknown) =>
    `${Number(n).toLocaleString('en-US')}${unit === 'bytes' ? ' bytes' : unit === 'ms' ? ' ms' : ''}`;
  if (/\.port$/.test(key) && (issue.code === 'too_small' || issue.code === 'too_big'))
    return `Port ${String(value)} is out of range 1–65535`;
  if (issue.code === 'too_small' && 'minimum' in issue) return `Must be at least ${fmt(issue.minimum)}`;
  if (issue.code === 'too_big' && 'maximum' in issue) return `Must be at most ${fmt(issue.maximum)}`;
  if (key === 'routes' && typeof issue.path[1] === 'number')
    return `Route ${issue.path[1] + 1}: ${issue.message}`;
  return issue.message;
}

export interface Validation {
  candidate: Settings;
  errors: FieldErrors;
}

/** Apply staged text to the saved settings and validate the whole result with the schema. */
export function validateStaged(saved: Settings, staged: Staged): Validation {
  let candidate = saved;
  const errors: FieldErrors = {};
  for (const [key, text] of Object.entries(staged)) {
    const parsed = parseTextValue(key, text);
    if (parsed.ok) candidate = setAtPath(candidate, key, parsed.value);
    else errors[key] = parsed.message;
  }
  const result = settingsSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = keyForPath(issue.path);
      errors[key] ??= describeIssue(key, issue, getAtPath(candidate, key));
    }
    return { candidate, errors };
  }
  return { candidate: result.data, errors };
}
