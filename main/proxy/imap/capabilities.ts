// Capabilities the proxy cannot honour are removed wherever the server lists them: the greeting's
// `[CAPABILITY …]`, `* CAPABILITY …` and the tagged `OK [CAPABILITY …]` after login. Everything else
// (IDLE, UIDPLUS, CONDSTORE, QRESYNC, MOVE, SPECIAL-USE, LITERAL+, ID, ENABLE, UTF8=ACCEPT,
// STARTTLS, LOGINDISABLED …) is kept, byte for byte.

/**
 * COMPRESS=DEFLATE would turn the stream into deflate data the layer cannot read (not implemented);
 * SASL `*-PLUS` mechanisms bind to the TLS channel, which a TLS terminator necessarily changes.
 */
export function isUnsupportedCapability(cap: string): boolean {
  const upper = cap.toUpperCase();
  return upper.startsWith('COMPRESS=') || /^AUTH=.*-PLUS$/.test(upper);
}

function filterList(list: string): string {
  return list
    .split(' ')
    .filter((c) => c === '' || !isUnsupportedCapability(c))
    .join(' ')
    .replace(/ {2,}/g, ' ');
}

const UNTAGGED_CAPABILITY = /^(\* CAPABILITY )(.*)$/i;
const CODE_CAPABILITY = /^(\S+ (?:OK|PREAUTH) \[CAPABILITY )([^\]]*)(\].*)$/i;

/** The line with unsupported capabilities removed, or undefined when it lists none of them. */
export function filterCapabilityLine(line: string): string | undefined {
  const u = UNTAGGED_CAPABILITY.exec(line);
  const c = u ? undefined : CODE_CAPABILITY.exec(line);
  const m = u ?? c;
  if (!m) return undefined;
  const list = m[2];
  const filtered = filterList(list);
  if (filtered === list) return undefined;
  return m[1] + filtered + (c ? c[3] : '');
}
