// CAPA rewriting: what cannot survive interception is removed from the list the client sees.
// SASL SCRAM-*-PLUS needs channel binding to the server's TLS, which a TLS terminator cannot give.
// PIPELINING stays: the layer keeps a queue of commands and answers them in order.

const SCRAM_PLUS = /^SCRAM-.+-PLUS$/i;

/** Rewrite one CAPA body (unstuffed lines with their endings); returns the same bytes if nothing changed. */
export function rewriteCapa(body: Buffer): Buffer {
  const lines = body.toString('latin1').split(/(?<=\n)/);
  let changed = false;
  const out: string[] = [];
  for (const line of lines) {
    const m = /^SASL(\s+)(.*?)(\r?\n)?$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const mechs = m[2].split(/\s+/).filter(Boolean);
    const kept = mechs.filter((x) => !SCRAM_PLUS.test(x));
    if (kept.length === mechs.length) {
      out.push(line);
      continue;
    }
    changed = true;
    if (kept.length > 0) out.push(`${line.slice(0, 4)} ${kept.join(' ')}${m[3] ?? ''}`);
  }
  return changed ? Buffer.from(out.join(''), 'latin1') : body;
}
