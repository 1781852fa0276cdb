// Reads what the layer needs from client command lines: the tag and command name, the mailbox of
// SELECT/EXAMINE, the user of LOGIN (AUTHENTICATE: ../sasl.ts), the ranges a FETCH asks for. Commands are
// never rewritten; this only observes them.

export interface ClientCommand {
  tag: string;
  /** Upper-case command name; `UID FETCH`, `UID SEARCH` … for UID commands. */
  name: string;
  /** The first line, latin1, without its line end (never logged: LOGIN carries a password). */
  line: string;
}

const COMMAND = /^([^\s(){%*"\\\]]+) (UID )?([A-Za-z][A-Za-z0-9.-]*)/i;

export function parseCommandLine(line: string): ClientCommand | undefined {
  const m = COMMAND.exec(line);
  if (!m) return undefined;
  const name = m[3].toUpperCase();
  return { tag: m[1], name: m[2] ? `UID ${name}` : name, line };
}

/** Arguments after `TAG NAME ` (for UID commands after `TAG UID NAME `). */
export function argumentsOf(cmd: ClientCommand): string {
  const words = cmd.name.startsWith('UID ') ? 3 : 2;
  let pos = 0;
  for (let i = 0; i < words; i++) {
    const sp = cmd.line.indexOf(' ', pos);
    if (sp < 0) return '';
    pos = sp + 1;
  }
  return cmd.line.slice(pos);
}

export type Astring = { kind: 'atom' | 'quoted'; value: string } | { kind: 'literal' };

/** The first astring of `args`: an atom, a quoted string, or a literal whose bytes follow the line. */
export function firstAstring(args: string): Astring | undefined {
  if (args.startsWith('"')) {
    let value = '';
    for (let i = 1; i < args.length; i++) {
      const c = args[i];
      if (c === '\\') value += args[++i] ?? '';
      else if (c === '"') return { kind: 'quoted', value };
      else value += c;
    }
    return undefined;
  }
  if (/^~?\{\d+\+?\}/.test(args)) return { kind: 'literal' };
  const m = /^[^\s()]+/.exec(args);
  return m ? { kind: 'atom', value: m[0] } : undefined;
}

/** INBOX is case-insensitive (RFC 3501 §5.1); every other name is kept as sent. */
export function normaliseMailbox(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

const PARTIAL = /(BODY|BINARY)(?:\.PEEK)?\[([^\]]*)\]<(\d+)\.(\d+)>/gi;

/** `{ key: 'BODY[2]<0>', length }` for every `<offset.length>` range a FETCH command asks for. */
export function requestedPartials(cmd: ClientCommand): { key: string; length: number }[] {
  if (cmd.name !== 'FETCH' && cmd.name !== 'UID FETCH') return [];
  return [...cmd.line.matchAll(PARTIAL)].map((m) => ({
    key: partialKey(m[1], m[2], Number(m[3])),
    length: Number(m[4]),
  }));
}

export function partialKey(family: string, section: string, origin: number): string {
  return `${family.toUpperCase()}[${section.toUpperCase().replace(/\s+/g, ' ')}]<${origin}>`;
}
