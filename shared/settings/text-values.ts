// Settings as text: the form users type in the UI and give to `mailward settings set KEY VALUE`.
// Every leaf key of the schema has a text form; parsing it then validating the whole object with the
// schema gives the same messages everywhere.
import { defaultSettings, settingsSchema, type Settings, type Route } from './schema.ts';
import { formatPortList, parsePortList } from './ports.ts';
import { splitList } from './split-list.ts';
import { formatCertificateRules, parseCertificateRules, type CertificateRule } from './certificate-rules.ts';

export type FieldError = { key: string; message: string };
export type SetResult = { ok: true; settings: Settings } | { ok: false; errors: FieldError[] };

/** Every leaf key of the settings tree, as dot paths, in schema order. */
export function settingKeys(): string[] {
  const keys: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else keys.push(prefix);
  };
  walk(defaultSettings(), '');
  return keys;
}

export function getAtPath(obj: unknown, key: string): unknown {
  let cur: any = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function setAtPath<T>(obj: T, key: string, value: unknown): T {
  const parts = key.split('.');
  const copy: any = structuredClone(obj);
  let cur = copy;
  for (const part of parts.slice(0, -1)) cur = cur[part];
  cur[parts[parts.length - 1]] = value;
  return copy;
}

const isPortKey = (key: string) => key.endsWith('.ports');
const isRoutesKey = (key: string) => key === 'routes';
const isRulesKey = (key: string) => key.endsWith('.certificateRules');

/** Parse `LISTEN=UPSTREAM` items separated by commas, semicolons or newlines. */
export function parseRoutes(text: string): Route[] {
  return splitList(text).map((item) => {
    const eq = item.indexOf('=');
    return eq < 0
      ? { listen: item, upstream: '' }
      : { listen: item.slice(0, eq).trim(), upstream: item.slice(eq + 1).trim() };
  });
}

export { splitList } from './split-list.ts';

/** Turn the text a user typed for KEY into a typed value, or an error message. */
export function parseTextValue(
  key: string,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const current = getAtPath(defaultSettings(), key);
  if (current === undefined) return { ok: false, message: `Unknown setting "${key}"` };
  if (isPortKey(key)) {
    const r = parsePortList(text);
    return r.ok ? { ok: true, value: r.ports } : r;
  }
  if (isRoutesKey(key)) return { ok: true, value: parseRoutes(text) };
  if (isRulesKey(key)) return { ok: true, value: parseCertificateRules(text) };
  if (typeof current === 'boolean') {
    const t = text.trim().toLowerCase();
    if (['true', 'on', 'yes', '1', 'enabled'].includes(t)) return { ok: true, value: true };
    if (['false', 'off', 'no', '0', 'disabled'].includes(t)) return { ok: true, value: false };
    return { ok: false, message: `"${text}" is not true or false` };
  }
  if (typeof current === 'number') {
    const t = text.trim();
    if (!/^-?\d+$/.test(t)) return { ok: false, message: `"${text}" is not a whole number` };
    return { ok: true, value: Number(t) };
  }
  if (Array.isArray(current)) return { ok: true, value: splitList(text) };
  return { ok: true, value: text };
}

/** The text form of a value, as the UI shows it and `settings get` prints it. */
export function formatTextValue(key: string, value: unknown): string {
  if (isPortKey(key) && Array.isArray(value)) return formatPortList(value as number[]);
  if (isRoutesKey(key) && Array.isArray(value))
    return (value as Route[]).map((r) => `${r.listen}=${r.upstream}`).join(', ');
  if (isRulesKey(key) && Array.isArray(value)) return formatCertificateRules(value as CertificateRule[]);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Validate a whole settings object; errors keyed by dot path. */
export function validateSettings(candidate: unknown): SetResult {
  const r = settingsSchema.safeParse(candidate);
  if (r.success) return { ok: true, settings: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      key: i.path.filter((p) => typeof p !== 'number').join('.'),
      message: i.message,
    })),
  };
}

/** Apply one KEY=TEXT change to settings; nothing changes unless the result is valid. */
export function applyTextValue(settings: Settings, key: string, text: string): SetResult {
  const parsed = parseTextValue(key, text);
  if (!parsed.ok) return { ok: false, errors: [{ key, message: parsed.message }] };
  return validateSettings(setAtPath(settings, key, parsed.value));
}
