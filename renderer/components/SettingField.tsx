// One setting: its control (generated from the metadata's control kind), the help line, the message when
// the typed value is invalid, a "changed" mark and "Revert to default".
import { memo, type ReactNode } from 'react';
import { parseTextValue } from '../../shared/settings/index.ts';
import { previewSubjectTemplate, settingMeta, type SettingMeta } from '../../shared/settings/meta.ts';
import { useAppStore } from '../store/index.ts';
import { fieldText } from '../store/settings-slice.ts';
import { defaultText } from '../store/validate.ts';
import { fieldId, formatBytes } from '../format.ts';

/** Same value as the default? Compared as values, so "993,585" and "585, 993" are not mixed up with text. */
function differsFromDefault(key: string, text: string): boolean {
  const a = parseTextValue(key, text);
  const b = parseTextValue(key, defaultText(key));
  if (!a.ok || !b.ok) return text !== defaultText(key);
  return JSON.stringify(a.value) !== JSON.stringify(b.value);
}

interface ControlProps {
  id: string;
  meta: SettingMeta;
  text: string;
  invalid: boolean;
  describedBy: string;
  disabled: boolean;
  onChange(text: string): void;
}

function Toggle({ id, meta, text, describedBy, disabled, onChange }: ControlProps) {
  return (
    <label className="toggle" htmlFor={id}>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={text === 'true'}
        disabled={disabled}
        aria-describedby={describedBy}
        onChange={(e) => onChange(String(e.target.checked))}
      />
      <span className="toggle-track" aria-hidden="true" />
      <span className="field-label">{meta.label}</span>
    </label>
  );
}

function Choice({ id, meta, text, describedBy, disabled, onChange }: ControlProps) {
  return (
    <select
      id={id}
      value={text}
      disabled={disabled}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    >
      {meta.options?.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function TextInput({ id, meta, text, invalid, describedBy, disabled, onChange }: ControlProps) {
  const multiline = meta.control === 'list' || meta.control === 'addresses' || meta.control === 'routes';
  const common = {
    id,
    value: text,
    disabled,
    spellCheck: false,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
  };
  if (multiline)
    return (
      <textarea
        {...common}
        rows={Math.min(8, Math.max(3, text.split('\n').length + 1))}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <input
      {...common}
      type="text"
      inputMode={meta.control === 'number' || meta.control === 'ports' ? 'numeric' : undefined}
      className={meta.control === 'number' ? 'narrow' : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

const UNIT_WORDS = { ms: 'milliseconds', times: 'times', levels: 'levels' } as const;

function unitNote(meta: SettingMeta, text: string): ReactNode {
  if (!meta.unit) return null;
  if (meta.unit === 'bytes')
    return /^\d+$/.test(text.trim()) ? `bytes (${formatBytes(Number(text))})` : 'bytes';
  return UNIT_WORDS[meta.unit];
}

export const SettingField = memo(function SettingField({ settingKey }: { settingKey: string }) {
  const meta = settingMeta(settingKey);
  const text = useAppStore((s) => fieldText(s, settingKey));
  const error = useAppStore((s) => s.errors[settingKey]);
  const staged = useAppStore((s) => settingKey in s.staged);
  // Greyed out while the toggle it depends on is off.
  const parentOff = useAppStore((s) => !!meta.dependsOn && fieldText(s, meta.dependsOn) === 'false');
  const stage = useAppStore((s) => s.stage);
  const revert = useAppStore((s) => s.revertToDefault);
  const id = fieldId(settingKey);
  const changed = differsFromDefault(settingKey, text);
  const describedBy = [`${id}-help`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const props: ControlProps = {
    id,
    meta,
    text,
    invalid: !!error,
    describedBy,
    disabled: parentOff,
    onChange: (t) => stage(settingKey, t),
  };
  const Control = meta.control === 'toggle' ? Toggle : meta.control === 'choice' ? Choice : TextInput;

  return (
    <div
      className={`field${error ? ' invalid' : ''}${changed ? ' changed' : ''}${staged ? ' staged' : ''}`}
      data-key={settingKey}
    >
      <div className="field-main">
        {meta.control !== 'toggle' && (
          <label className="field-label" htmlFor={id}>
            {meta.label}
          </label>
        )}
        <div className="field-control">
          <Control {...props} />
          {meta.unit && <span className="unit">{unitNote(meta, text)}</span>}
        </div>
        {meta.control === 'template' && (
          <p className="preview">
            Preview:{' '}
            <output
              aria-label="Subject preview"
              htmlFor={id}
            >{`Invoice for March ${previewSubjectTemplate(text)}`}</output>
          </p>
        )}
        {error && (
          <p className="error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
        <p className="help" id={`${id}-help`}>
          {meta.help}
        </p>
      </div>
      <div className="field-side">
        {changed && (
          <>
            <span className="changed-mark" title="Changed from the default">
              Changed
            </span>
            <button
              type="button"
              className="link"
              aria-label={`Revert “${meta.label}” to default`}
              onClick={() => revert(settingKey)}
            >
              Revert to default
            </button>
          </>
        )}
      </div>
    </div>
  );
});
