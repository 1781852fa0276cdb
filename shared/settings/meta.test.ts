// The UI is generated from schema + metadata: every key must have a label, a help line and a page.
import { describe, expect, it } from 'vitest';
import { PAGES, SETTINGS_META, previewSubjectTemplate } from './meta.ts';
import { defaultSettings, getAtPath, settingKeys } from './index.ts';

describe('settings metadata', () => {
  it('describes every settings key, and nothing else', () => {
    expect(Object.keys(SETTINGS_META).sort()).toEqual(settingKeys().sort());
  });

  it('gives each key a page of the tree, a label, a help line, and every choice of an enum', () => {
    for (const [key, meta] of Object.entries(SETTINGS_META)) {
      expect(
        PAGES.some((p) => p.id === meta.page),
        key,
      ).toBe(true);
      expect(meta.label.length, key).toBeGreaterThan(3);
      expect(meta.help.length, key).toBeGreaterThan(10);
      const value = getAtPath(defaultSettings(), key);
      if (meta.control === 'toggle') expect(typeof value, key).toBe('boolean');
      if (meta.control === 'choice')
        expect(
          meta.options?.map((o) => o.value),
          key,
        ).toContain(value);
    }
  });

  it('previews the subject note with a detection name', () => {
    expect(previewSubjectTemplate('[detection %DETECTIONNAME%]')).toBe('[detection Eicar-Test-Signature]');
    expect(previewSubjectTemplate('%VIRUSNAME% found')).toBe('Eicar-Test-Signature found');
  });
});
