// "Excluded IP addresses" (Protocol filtering): traffic to or from these addresses is not checked.
// A session is excluded when the client's address or the upstream server's address matches an item;
// the proxy then relays its bytes unchanged, end to end (TLS included: the client talks to the real server).
import { addressMatches, parseAddressItem, type AddressItem } from '../../shared/settings/addresses.ts';
import type { Settings } from '../../shared/settings/index.ts';

// Parsed lists are cached by their text: settings change rarely, sessions open often.
let cachedKey = '';
let cachedItems: { text: string; item: AddressItem }[] = [];

function items(settings: Settings): { text: string; item: AddressItem }[] {
  const list = settings.webAndEmail.protocolFiltering.excludedAddresses;
  const key = list.join('\n');
  if (key !== cachedKey) {
    cachedKey = key;
    cachedItems = list.flatMap((text) => {
      const r = parseAddressItem(text);
      return r.ok ? [{ text, item: r.item }] : [];
    });
  }
  return cachedItems;
}

/** The excluded-address item that covers one of these addresses (IP literals; names never match), or null. */
export function excludedBy(settings: Settings, addresses: readonly (string | undefined)[]): string | null {
  const list = items(settings);
  if (list.length === 0) return null;
  for (const address of addresses) {
    if (!address) continue;
    const hit = list.find((e) => addressMatches(e.item, address));
    if (hit) return hit.text;
  }
  return null;
}
