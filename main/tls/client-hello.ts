// Peek at a TLS ClientHello (sans-I/O): is it complete yet, and which server name (SNI) does the
// client ask for? The proxy buffers the hello, connects upstream with that SNI, mints a matching
// certificate, then hands the buffered bytes to the TLS server (style: mitmproxy layers/tls.py).

/** A ClientHello is a few hundred bytes to a few KB (post-quantum key shares); more is not a hello. */
export const MAX_CLIENT_HELLO = 64 * 1024;

export type HelloPeek =
  { state: 'incomplete' } | { state: 'complete'; sni?: string } | { state: 'notTls'; reason: string };

/** Look at the bytes received so far from a client that should be starting TLS. */
export function peekClientHello(data: Buffer): HelloPeek {
  if (data.length === 0) return { state: 'incomplete' };
  if (data[0] !== 0x16) return { state: 'notTls', reason: 'the client did not start a TLS handshake' };
  // Reassemble the handshake message from as many records as it spans.
  const parts: Buffer[] = [];
  let off = 0;
  let have = 0;
  let need = -1;
  while (off + 5 <= data.length) {
    if (data[off] !== 0x16)
      return { state: 'notTls', reason: 'unexpected TLS record before the ClientHello ended' };
    const len = data.readUInt16BE(off + 3);
    if (off + 5 + len > data.length) break;
    parts.push(data.subarray(off + 5, off + 5 + len));
    have += len;
    off += 5 + len;
    if (need < 0 && have >= 4) {
      const hs = Buffer.concat(parts);
      if (hs[0] !== 0x01)
        return { state: 'notTls', reason: 'the first TLS handshake message is not a ClientHello' };
      need = 4 + hs.readUIntBE(1, 3);
    }
    if (need >= 0 && have >= need)
      return { state: 'complete', sni: parseSni(Buffer.concat(parts).subarray(4, need)) };
  }
  if (data.length > MAX_CLIENT_HELLO) return { state: 'notTls', reason: 'the TLS ClientHello is too large' };
  return { state: 'incomplete' };
}

/** The host_name entry of the server_name extension, if any. Malformed input yields undefined. */
function parseSni(body: Buffer): string | undefined {
  try {
    let p = 2 + 32; // client_version, random
    p += 1 + body[p]; // session_id
    p += 2 + body.readUInt16BE(p); // cipher_suites
    p += 1 + body[p]; // compression_methods
    if (p + 2 > body.length) return undefined;
    const end = p + 2 + body.readUInt16BE(p);
    p += 2;
    while (p + 4 <= end) {
      const type = body.readUInt16BE(p);
      const len = body.readUInt16BE(p + 2);
      p += 4;
      if (type === 0) {
        let q = p + 2;
        const listEnd = p + 2 + body.readUInt16BE(p);
        while (q + 3 <= listEnd) {
          const nameType = body[q];
          const nameLen = body.readUInt16BE(q + 1);
          if (nameType === 0) return body.subarray(q + 3, q + 3 + nameLen).toString('ascii');
          q += 3 + nameLen;
        }
      }
      p += len;
    }
  } catch {
    /* truncated extension data: no SNI */
  }
  return undefined;
}
