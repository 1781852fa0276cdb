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
}

export type ProcessMessage = (
  raw: Buffer,
  ctx: MessageContext,
  signal?: AbortSignal,
) => Promise<ProcessedMessage>;
