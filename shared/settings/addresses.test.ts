// Excluded IP addresses: what users type (ESET's forms) is accepted, and matching covers what it says.
import { describe, expect, it } from 'vitest';
import { addressMatches, parseAddressItem, parseAddressList, parseIPv6 } from './addresses.ts';
import { applyTextValue, defaultSettings } from './index.ts';

const item = (text: string) => {
  const r = parseAddressItem(text);
  if (!r.ok) throw new Error(r.message);
  return r.item;
};

describe('excluded IP addresses', () => {
  it('accepts the forms ESET documents, split by newline, comma or semicolon', () => {
    const r = parseAddressList(
      '192.168.0.1 to 192.168.0.99\n192.168.1.0/24; 2002:c0a8:6301:1::1/64, 10.0.0.1-10.0.0.9',
    );
    expect(r).toEqual({
      ok: true,
      items: ['192.168.0.1 to 192.168.0.99', '192.168.1.0/24', '2002:c0a8:6301:1::1/64', '10.0.0.1-10.0.0.9'],
    });
  });

  it('refuses leading zeros and IPv6 with too many groups', () => {
    expect(parseAddressItem('010.0.0.1').ok).toBe(false);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('::')).toBe(0n);
    expect(parseAddressItem('  ')).toEqual({ ok: false, message: 'Empty item in the address list' });
  });

  it('matches single addresses, ranges and subnets', () => {
    expect(addressMatches(item('192.168.1.0/24'), '192.168.1.77')).toBe(true);
    expect(addressMatches(item('192.168.1.0/24'), '192.168.2.1')).toBe(false);
    expect(addressMatches(item('192.168.0.1 to 192.168.0.99'), '192.168.0.99')).toBe(true);
    expect(addressMatches(item('192.168.0.1 to 192.168.0.99'), '192.168.0.100')).toBe(false);
    expect(addressMatches(item('2002:c0a8:6301:1::1/64'), '2002:c0a8:6301:1:ffff::2')).toBe(true);
    expect(addressMatches(item('10.0.0.5'), '::ffff:10.0.0.5')).toBe(true);
    expect(addressMatches(item('10.0.0.5'), '::1')).toBe(false);
  });

  it('is enforced by the settings schema, naming the bad item', () => {
    const key = 'webAndEmail.protocolFiltering.excludedAddresses';
    expect(applyTextValue(defaultSettings(), key, '10.0.0.1, 10.0.0.256')).toEqual({
      ok: false,
      errors: [{ key, message: '"10.0.0.256" is not an IP address, range or subnet' }],
    });
  });
});
