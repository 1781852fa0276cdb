// What the layer knows about the IMAP session from watching it: the logged-in user, the selected
// mailbox and its UIDVALIDITY (the cache key of cleaned messages), and the commands in flight.
import { saslInitialResponse, saslUser } from '../sasl.ts';
import { argumentsOf, firstAstring, normaliseMailbox, type ClientCommand } from './command.ts';
import { MAX_INSPECTED_ARGUMENT_BYTES } from './limits.ts';

/** A client command the layer has seen, with what it needs to interpret the server's answer. */
export interface TrackedCommand extends ClientCommand {
  /** First literal of the command (a LOGIN user or a mailbox name sent as a literal), bounded. */
  firstLiteral?: Buffer;
  /** For AUTHENTICATE without an initial response: the client's first continuation line. */
  saslResponse?: string;
}

const UIDVALIDITY = /^\* OK \[UIDVALIDITY (\d+)\]/i;
const TAGGED = /^(\S+) (OK|NO|BAD)\b/i;

export function taggedStatus(line: string): { tag: string; status: 'OK' | 'NO' | 'BAD' } | undefined {
  const m = TAGGED.exec(line);
  if (!m || m[1] === '*' || m[1] === '+') return undefined;
  return { tag: m[1], status: m[2].toUpperCase() as 'OK' | 'NO' | 'BAD' };
}

export class SessionState {
  user?: string;
  mailbox?: string;
  uidValidity?: string;
  private selecting?: string;

  /** Literal bytes of a command, kept while small enough to be a user or mailbox name. */
  static addLiteral(cmd: TrackedCommand, bytes: Buffer): void {
    const have = cmd.firstLiteral?.length ?? 0;
    if (have >= MAX_INSPECTED_ARGUMENT_BYTES) return;
    const part = bytes.subarray(0, MAX_INSPECTED_ARGUMENT_BYTES - have);
    cmd.firstLiteral = cmd.firstLiteral ? Buffer.concat([cmd.firstLiteral, part]) : Buffer.from(part);
  }

  /** An untagged response (UIDVALIDITY comes as `* OK [UIDVALIDITY n]` while SELECT runs). */
  untagged(line: string): void {
    const m = UIDVALIDITY.exec(line);
    if (m) this.selecting = m[1];
  }

  /** The tagged response to `cmd`. */
  completed(cmd: TrackedCommand, status: 'OK' | 'NO' | 'BAD'): void {
    const name = cmd.name;
    if (name === 'SELECT' || name === 'EXAMINE') {
      // A failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1).
      this.mailbox = status === 'OK' ? this.firstArgument(cmd) : undefined;
      this.uidValidity = status === 'OK' ? this.selecting : undefined;
      this.selecting = undefined;
      if (this.mailbox !== undefined) this.mailbox = normaliseMailbox(this.mailbox);
      return;
    }
    if (status !== 'OK') return;
    if (name === 'CLOSE' || name === 'UNSELECT') {
      this.mailbox = undefined;
      this.uidValidity = undefined;
    } else if (name === 'LOGIN') {
      this.user = this.firstArgument(cmd);
    } else if (name === 'AUTHENTICATE') {
      const [mechanism = '', initial] = argumentsOf(cmd).split(' ');
      const response = saslInitialResponse(initial) ?? cmd.saslResponse;
      if (response) this.user = saslUser(mechanism.toUpperCase(), response);
    }
  }

  private firstArgument(cmd: TrackedCommand): string | undefined {
    const a = firstAstring(argumentsOf(cmd));
    if (!a) return undefined;
    if (a.kind === 'literal') return cmd.firstLiteral?.toString('utf8');
    return a.value;
  }
}
