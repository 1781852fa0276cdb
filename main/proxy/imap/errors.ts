// Typed errors of the IMAP layer: a stable machine code, and the protocol reply when one is sent.

export type ImapErrorCode =
  | 'IMAP_LINE_TOO_LONG'
  | 'IMAP_LITERAL_TOO_LARGE'
  | 'IMAP_MALFORMED_RESPONSE'
  | 'IMAP_UPSTREAM_CLOSED_MID_RESPONSE';

export class ImapError extends Error {
  constructor(
    readonly code: ImapErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImapError';
  }
}
