// Edits of one header block kept as close to the original bytes as possible: fields are removed or added
// whole (with their folded lines), the Subject is extended in place, and the block's own line ending is
// reused. Blocks are handled as latin1 strings so 8-bit bytes round-trip unchanged.

export interface HeaderEdits {
  /** Lower-case field names to drop (every occurrence). */
  remove?: string[];
  /** Lines (without line ending) to put before the first field. */
  prepend?: string[];
  /** Lines (without line ending) to put after the last field. */
  append?: string[];
  /** Text to add at the end of the Subject (ASCII, already encoded); a Subject is added if missing. */
  subjectTag?: string;
}

function fieldsOf(block: string): string[] {
  const lines = block.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const fields: string[] = [];
  for (const line of lines) {
    if ((line[0] === ' ' || line[0] === '\t') && fields.length > 0) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  return fields;
}

const nameOf = (field: string) =>
  field
    .slice(0, Math.max(0, field.indexOf(':')))
    .trim()
    .toLowerCase();

export function editHeaderBlock(block: string, edits: HeaderEdits): string {
  const eol = /\r\n/.test(block) || block === '' ? '\r\n' : '\n';
  let fields = fieldsOf(block);
  if (fields.length > 0 && !fields[fields.length - 1].endsWith('\n')) fields[fields.length - 1] += eol;
  const remove = new Set(edits.remove ?? []);
  fields = fields.filter((f) => !remove.has(nameOf(f)));
  if (edits.subjectTag) {
    const i = fields.findIndex((f) => nameOf(f) === 'subject');
    if (i < 0) fields.push(`Subject: ${edits.subjectTag}${eol}`);
    else {
      const body = fields[i].replace(/\r?\n$/, '');
      const lastLine = body.slice(body.lastIndexOf('\n') + 1);
      const sep = lastLine.length + 1 + edits.subjectTag.length > 76 ? `${eol} ` : ' ';
      fields[i] = body + sep + edits.subjectTag + eol;
    }
  }
  const line = (l: string) => l + eol;
  return [...(edits.prepend ?? []).map(line), ...fields, ...(edits.append ?? []).map(line)].join('');
}

/** A Subject addition in RFC 2047 encoded words when it is not plain ASCII. */
export function encodeHeaderText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    // 45 bytes of UTF-8 make a 60-character base64 word, within the 75-character limit.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** Header fields of a block as name → first value (unfolded, raw). */
export function fieldValue(block: string, name: string): string | undefined {
  const f = fieldsOf(block).find((x) => nameOf(x) === name);
  return f
    ?.slice(f.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/**
 * Lines that fill exactly `bytes` bytes of header (each line plus `eol`), used to keep a message's size
 * when a replaced part's header got shorter; null when no field can be that short.
 */
export function paddingLines(bytes: number, eol: string): string[] | null {
  const name = 'X-Mailward-Padding: ';
  const minimum = name.length + 1 + eol.length;
  if (bytes === 0) return [];
  if (bytes < minimum) return null;
  const lines = [name];
  let left = bytes - name.length - eol.length;
  // Fill the first line, then folded continuation lines (" " + x…), keeping every line short.
  const take = Math.min(left, 60);
  lines[0] += 'x'.repeat(take);
  left -= take;
  while (left > 0) {
    const cost = eol.length + 1; // the fold's line ending and leading space
    if (left <= cost) {
      lines[0] += 'x'.repeat(left);
      break;
    }
    const n = Math.min(left - cost, 70);
    lines.push(' ' + 'x'.repeat(n));
    left -= cost + n;
  }
  return [lines.join(eol)];
}
