// Excluded IP addresses are typed by users as text: single addresses, ranges ("a - b" or "a to b"),
// subnets in CIDR form, IPv4 and IPv6, separated by newlines, commas or semicolons (ESET's
// "enter multiple values"). This module checks one item at a time and names the bad one in its message.
// Plain string parsing (no node:net): the renderer runs the same code in the browser.

import { splitList } from './split-list.ts';

export type AddressItem =
  | { kind: 'address'; version: 4 | 6; value: bigint }
  | { kind: 'range'; version: 4 | 6; from: bigint; to: bigint }
  | { kind: 'subnet'; version: 4 | 6; base: bigint; prefix: number };

export type AddressItemResult = { ok: true; item: AddressItem } | { ok: false; message: string };
export type AddressListResult = { ok: true; items: string[] } | { ok: false; message: string };

/** An IPv4 address as a number, or null. Leading zeros are refused: "010" means octal to some tools. */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** An IPv6 address as a number, or null. Accepts `::` compression and a trailing dotted IPv4 part. */
export function parseIPv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  let groups: number[] = [];
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseHalf = (half: string, allowV4Tail: boolean): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const items = half.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (allowV4Tail && i === items.length - 1 && item.includes('.')) {
        const v4 = parseIPv4(item);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16));
      else return null;
    }
    return out;
  };
  if (halves.length === 2) {
    const head = parseHalf(halves[0], false);
    const tail = parseHalf(halves[1], true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseHalf(text, true);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function parseIp(text: string): { version: 4 | 6; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== null) return { version: 6, value: v6 };
  return null;
}

const RANGE_SEPARATOR = /\s+to\s+|\s*-\s*/i;

/** Check one item: `192.168.0.1`, `192.168.0.1 - 192.168.0.99`, `… to …`, `192.168.1.0/24`, `2002:c0a8:6301:1::1/64`. */
export function parseAddressItem(raw: string): AddressItemResult {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Empty item in the address list' };
  const rangeParts = text.split(RANGE_SEPARATOR);
  if (rangeParts.length > 2) return { ok: false, message: `"${text}" is not a valid range` };
  if (rangeParts.length === 2) {
    const [a, b] = rangeParts.map((s) => s.trim());
    const from = parseIp(a);
    if (!from) return { ok: false, message: `Range "${text}": "${a}" is not an IP address` };
    const to = parseIp(b);
    if (!to) return { ok: false, message: `Range "${text}": "${b}" is not an IP address` };
    if (from.version !== to.version)
      return { ok: false, message: `Range "${text}" mixes IPv4 and IPv6 addresses` };
    if (to.value < from.value) return { ok: false, message: `Range "${text}" ends before it starts` };
    return { ok: true, item: { kind: 'range', version: from.version, from: from.value, to: to.value } };
  }
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const addr = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    const base = parseIp(addr);
    if (!base) return { ok: false, message: `Subnet "${text}": "${addr}" is not an IP address` };
    const max = base.version === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max)
      return { ok: false, message: `Subnet "${text}": the prefix length must be 0–${max}` };
    return {
      ok: true,
      item: { kind: 'subnet', version: base.version, base: base.value, prefix: Number(prefixText) },
    };
  }
  const ip = parseIp(text);
  if (!ip) return { ok: false, message: `"${text}" is not an IP address, range or subnet` };
  return { ok: true, item: { kind: 'address', version: ip.version, value: ip.value } };
}

/** Check every item of a list already split into items; the first bad item is named. */
export function checkAddressItems(items: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const item of items) {
    const r = parseAddressItem(item);
    if (!r.ok) return r.message;
    const norm = item.trim().toLowerCase();
    if (seen.has(norm)) return `"${item.trim()}" is listed twice`;
    seen.add(norm);
  }
  return null;
}

/** Parse the text a user typed: newline, comma or semicolon separated. */
export function parseAddressList(text: string): AddressListResult {
  const items = splitList(text);
  const message = checkAddressItems(items);
  return message ? { ok: false, message } : { ok: true, items };
}

/** Whether an address (text) is covered by a parsed item — what the proxy uses to skip excluded servers. */
export function addressMatches(item: AddressItem, address: string): boolean {
  const ip = parseIp(address.replace(/^::ffff:(?=\d+\.)/i, ''));
  if (!ip || ip.version !== item.version) return false;
  if (item.kind === 'address') return ip.value === item.value;
  if (item.kind === 'range') return ip.value >= item.from && ip.value <= item.to;
  const bits = BigInt(item.version === 4 ? 32 : 128);
  const shift = bits - BigInt(item.prefix);
  return ip.value >> shift === item.base >> shift;
}
