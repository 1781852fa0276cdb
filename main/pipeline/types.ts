// What the proxies call for every retrieved message: scan, clean per settings, quarantine, log.
import type { MessageScanResult } from '../scanner/types.ts';

export type MailProtocolName = 'pop3' | 'pop3s' | 'imap' | 'imaps';

export interface MessageContext {
  protocol: MailProtocolName | 'file';
  /** Upstream server as host:port. */
  server: string;
  user?: string;
  mailbox?: string;
  /** POP3 message number/UIDL or IMAP UID. */
  messageId?: string;
  /** Prefer cleaning that keeps every byte size and MIME offset (IMAP): notice padded to the removed part's length. */
  preserveSize?: boolean;
}

export interface ProcessedMessage {
  /** What the client receives: the original bytes when nothing changed. */
  output: Buffer;
  modified: boolean;
  scan: MessageScanResult;
  /** Ids of detection records written (empty when clean). */
  detectionIds: string[];
  /**
   * The output has exactly the input's length and every replaced part body kept its byte length
   * (always true when unmodified). With `MessageContext.preserveSize` this is the goal; it is false when a
   * notice could not fit in the removed body or the header growth could not be compensated.
   */
  sizePreserved: boolean;
  /** Every replaced part's body kept its exact byte length (BODYSTRUCTURE sizes stay valid). */
  partSizesPreserved?: boolean;
  /** Quarantine item holding the original, when a part was removed. */
  quarantineId?: string;
}

export type ProcessMessage = (
  raw: Buffer,
  ctx: MessageContext,
  signal?: AbortSignal,
) => Promise<ProcessedMessage>;
