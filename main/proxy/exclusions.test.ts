import { describe, expect, it } from 'vitest';
import { applyTextValue, defaultSettings } from '../../shared/settings/index.ts';
import { excludedBy } from './exclusions.ts';

const KEY = 'webAndEmail.protocolFiltering.excludedAddresses';
function withExcluded(text: string) {
  const r = applyTextValue(defaultSettings(), KEY, text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.settings;
}

describe('excluded IP addresses', () => {
  it('nothing is excluded by default', () => {
    expect(excludedBy(defaultSettings(), ['127.0.0.1', '::1'])).toBeNull();
  });

  it('a single address, a range and a subnet each exclude what they cover', () => {
    const s = withExcluded('10.0.0.5\n192.168.0.1 to 192.168.0.99; 172.16.0.0/12');
    expect(excludedBy(s, ['10.0.0.5'])).toBe('10.0.0.5');
    expect(excludedBy(s, ['192.168.0.50'])).toBe('192.168.0.1 to 192.168.0.99');
    expect(excludedBy(s, ['172.20.1.1'])).toBe('172.16.0.0/12');
    expect(excludedBy(s, ['192.168.0.100', '10.0.0.6'])).toBeNull();
  });

  it('matches IPv4 clients seen as IPv4-mapped IPv6, and IPv6 subnets', () => {
    const s = withExcluded('127.0.0.1, 2002:c0a8:6301:1::1/64');
    expect(excludedBy(s, ['::ffff:127.0.0.1'])).toBe('127.0.0.1');
    expect(excludedBy(s, ['2002:c0a8:6301:1::abcd'])).toBe('2002:c0a8:6301:1::1/64');
    expect(excludedBy(s, ['2002:c0a8:6301:2::1'])).toBeNull();
  });

  it('a host name never matches (only addresses are compared)', () => {
    expect(excludedBy(withExcluded('127.0.0.1'), ['localhost'])).toBeNull();
  });
});
