// Parsing of one MIME header block: the few fields the scanner and the cleaner need
// (Content-Type with parameters, Content-Transfer-Encoding, Content-Disposition, file name).
// Tolerant by design: a line without a colon is noted as a problem, never an exception.

export interface PartHeaders {
  /** Lower-case `type/subtype`; `text/plain` when absent (RFC 2045 default). */
  contentType: string;
  params: Record<string, string>;
  /** Lower-case Content-Transfer-Encoding; `7bit` when absent. */
  encoding: string;
  disposition?: string;
  filename?: string;
  /** What was wrong with the block (shown in verdict details, never thrown). */
  problems: string[];
  /** Unfolded `name: value` pairs (name lower-case), in order. */
  fields: [string, string][];
}

/** Split a header block (bytes up to, not including, the blank line) into unfolded fields. */
export function parseFields(block: string): { fields: [string, string][]; problems: string[] } {
  const fields: [string, string][] = [];
  const problems: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && fields.length > 0) {
      fields[fields.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      problems.push(`header line without a name: ${JSON.stringify(line.slice(0, 40))}`);
      continue;
    }
    fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { fields, problems };
}

/** `type/subtype; a=b; c="d"` → value and parameters, RFC 2231 continuations and charsets decoded. */
export function parseStructured(value: string): { value: string; params: Record<string, string> } {
  const parts = splitParams(value);
  const main = (parts.shift() ?? '').trim().toLowerCase();
  const raw: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"'))
      v = v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1');
    raw[key] = v;
  }
  return { value: main, params: joinRfc2231(raw) };
}

function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) {
      cur += c + (value[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** RFC 2231: `name*0*=utf-8''a%20b`, `name*1=c` → `name` = "a bc". */
function joinRfc2231(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const pieces: Record<string, { n: number; v: string; enc: boolean }[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    const m = /^([^*]+)\*(?:(\d+)\*?|)$/.exec(k);
    if (!m) {
      out[k] = v;
      continue;
    }
    (pieces[m[1]] ??= []).push({ n: Number(m[2] ?? 0), v, enc: k.endsWith('*') });
  }
  for (const [name, list] of Object.entries(pieces)) {
    list.sort((a, b) => a.n - b.n);
    let charset = 'utf-8';
    const bytes: number[] = [];
    list.forEach((p, i) => {
      let v = p.v;
      if (p.enc && i === 0) {
        const m = /^([^']*)'[^']*'(.*)$/.exec(v);
        if (m) {
          charset = m[1] || charset;
          v = m[2];
        }
      }
      if (p.enc) for (const b of percentDecode(v)) bytes.push(b);
      else for (const b of Buffer.from(v, 'utf8')) bytes.push(b);
    });
    out[name] = decodeCharset(Buffer.from(bytes), charset);
  }
  return out;
}

function percentDecode(s: string): Buffer {
  return Buffer.from(
    s.replace(/%([0-9A-Fa-f]{2})|([\s\S])/g, (_m, hex: string, ch: string) =>
      hex ? String.fromCharCode(parseInt(hex, 16)) : ch,
    ),
    'latin1',
  );
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim().toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?iso-8859-1?Q?…?=`) in an unstructured value. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return decodeCharset(bytes, charset.split('*')[0]);
    });
}

export function parsePartHeaders(block: string): PartHeaders {
  const { fields, problems } = parseFields(block);
  const get = (name: string) => fields.find(([k]) => k === name)?.[1];
  const ct = parseStructured(get('content-type') ?? '');
  const cd = parseStructured(get('content-disposition') ?? '');
  const encoding = (get('content-transfer-encoding') ?? '7bit').trim().toLowerCase() || '7bit';
  let contentType = ct.value;
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(contentType)) {
    if (contentType) problems.push(`invalid content type ${JSON.stringify(contentType)}`);
    contentType = 'text/plain';
  }
  const name = cd.params.filename ?? ct.params.name;
  return {
    contentType,
    params: ct.params,
    encoding,
    disposition: cd.value || undefined,
    // Control characters (an encoded line break) never reach a notice or a header.
    filename: name
      ? decodeWords(name)
          .replace(/[\x00-\x1f\x7f]/g, '?')
          .trim()
      : undefined,
    problems,
    fields,
  };
}
