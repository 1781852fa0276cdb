// Limits of the POP3 layer, each with why. The message size limit is a setting
// (scanner.limits.maxMessageSize); these protect the proxy from a peer that never ends a line.

/** RFC 1939 allows 255 octets per command; SASL responses (GSSAPI tokens) can run to ~12 KB. */
export const MAX_CLIENT_LINE = 64 * 1024;
/** RFC 2449 allows 512 octets per response line; generous for servers that exceed it. */
export const MAX_SERVER_LINE = 64 * 1024;
/** A CAPA list is a few hundred bytes; it is held whole to rewrite its SASL line. */
export const MAX_CAPA_BODY = 64 * 1024;
/** Server bytes queued while a message is being scanned before the server leg is paused. */
export const QUEUE_HIGH_WATER = 1024 * 1024;
