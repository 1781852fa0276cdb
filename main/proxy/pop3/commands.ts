// What the POP3 layer needs to know about each client command: which responses are multi-line.
// RFC 1939 (USER, PASS, APOP, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT), RFC 2449 (CAPA),
// RFC 5034 (AUTH), RFC 2595 (STLS). Unknown commands are forwarded; their answer is taken as one line.

export interface Pop3Command {
  /** Upper-case verb. */
  verb: string;
  /** Argument text after the verb (latin1; never logged for PASS/AUTH). */
  args: string;
  /** Whether a +OK answer to it is followed by a multi-line body. */
  multiLine: boolean;
}

const ALWAYS_MULTI = new Set(['CAPA', 'RETR', 'TOP']);
/** Multi-line only without an argument: `LIST` vs `LIST 3`, `UIDL` vs `UIDL 3`, `AUTH` (list) vs `AUTH PLAIN`. */
const MULTI_WITHOUT_ARGS = new Set(['LIST', 'UIDL', 'AUTH']);

export function parseCommand(line: Buffer): Pop3Command {
  const text = line.toString('latin1').replace(/\r?\n$/, '');
  const m = /^(\S*)\s*(.*)$/.exec(text)!;
  const verb = m[1].toUpperCase();
  const args = m[2];
  const multiLine = ALWAYS_MULTI.has(verb) || (MULTI_WITHOUT_ARGS.has(verb) && args.trim() === '');
  return { verb, args, multiLine };
}

export type StatusKind = 'ok' | 'err' | 'continue' | 'other';

/** `+OK`, `-ERR`, the SASL continuation `+ …` / `+`, or something that is not POP3. */
export function statusOf(line: Buffer): StatusKind {
  if (
    line.length >= 3 &&
    line[0] === 0x2b &&
    (line[1] === 0x4f || line[1] === 0x6f) &&
    (line[2] === 0x4b || line[2] === 0x6b)
  )
    return 'ok';
  if (line.length >= 4 && line[0] === 0x2d && line.subarray(1, 4).toString('latin1').toUpperCase() === 'ERR')
    return 'err';
  if (line[0] === 0x2b && (line.length === 1 || line[1] === 0x20 || line[1] === 0x0d || line[1] === 0x0a))
    return 'continue';
  return 'other';
}
