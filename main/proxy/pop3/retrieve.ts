// One held RETR/TOP answer: scan and clean the message, and produce the bytes the client gets —
// the server's status line and the (cleaned) message dot-stuffed, or `-ERR` when scanning failed, so that
// nothing is ever delivered unscanned by accident (the message stays on the server).
import type { LayerContext } from '../layer.ts';
import type { MessageContext } from '../../pipeline/types.ts';
import { stuffWithTerminator } from './framing.ts';

export interface HeldAnswer {
  /** The server's `+OK …` line, sent on unchanged. */
  status: Buffer;
  /** The message, dot-stuffing removed. */
  raw: Buffer;
  /** The server's bytes of the body with the terminator (still dot-stuffed): sent on when nothing changed. */
  wire: Buffer;
  /** POP3 message number (RETR/TOP argument). */
  messageNumber: string;
  user?: string;
}

/** The answer's bytes for the client, in pieces (written back to back, never concatenated: no copy). */
export async function scanHeldAnswer(
  ctx: LayerContext,
  held: HeldAnswer,
  signal: AbortSignal,
): Promise<Buffer[]> {
  const n = held.messageNumber;
  const mctx: MessageContext = {
    protocol: ctx.session.protocol,
    server: `${ctx.session.serverHost}:${ctx.session.serverPort}`,
    user: held.user,
    messageId: n,
  };
  try {
    const result = await ctx.processMessage(held.raw, mctx, signal);
    if (result.modified)
      ctx.emit({
        type: 'log',
        level: 'info',
        event: 'message cleaned',
        fields: { message: n, verdict: result.scan.verdict, threats: result.scan.threats },
      });
    // Unchanged: the server's own stuffed bytes, byte for byte as a direct fetch would get them.
    if (!result.modified) return [held.status, held.wire];
    return [held.status, stuffWithTerminator(result.output)];
  } catch (err) {
    const reason = (err as Error).message;
    if (!signal.aborted)
      ctx.emit({
        type: 'log',
        level: 'error',
        event: 'message could not be scanned',
        fields: { message: n, error: reason },
      });
    return [
      Buffer.from(
        `-ERR Mailward could not scan message ${n} (${reason}); it stays on the server\r\n`,
        'latin1',
      ),
    ];
  }
}
