// Every bound the IMAP layer applies, in one place (style: imapflow's lib/handler/limits.js).
// Each has the reason for its default; exceeding one raises a typed error with a stable code.

const MiB = 1024 * 1024;

/**
 * Longest line (between literals) accepted from the server or the client. Dovecot caps client lines at
 * 64 KiB, but server lines can be much longer: `* SEARCH` or `VANISHED` with 100,000 UIDs is ~1 MiB.
 * 8 MiB leaves room for that while stopping a peer that never sends CRLF from eating memory.
 */
export const MAX_LINE_BYTES = 8 * MiB;

/**
 * Bytes of cleaned copies kept in the shared cache (per process, all sessions). Only messages the
 * scanner changed are stored with their bytes; clean verdicts cost a few bytes each. 128 MiB holds a
 * handful of large infected messages while a client reads them chunk by chunk; a session also pins
 * the last message it used, so a message larger than the whole cache is still scanned only once.
 */
export const CLEANED_CACHE_BYTES = 128 * MiB;

/**
 * How long a cached verdict stays valid. Chunked and per-part reads happen within seconds; after
 * ten minutes a new fetch is rescanned so new signatures apply.
 */
export const CLEANED_CACHE_TTL_MS = 10 * 60 * 1000;

/**
 * Requested `<offset.length>` ranges remembered per session to answer a partial fetch with the length
 * the client asked for (needed only when cleaning changed the size). Clients keep few in flight.
 */
export const REMEMBERED_PARTIALS = 256;

/** Client command bytes inspected to read a SELECT mailbox name or LOGIN user given as a literal. */
export const MAX_INSPECTED_ARGUMENT_BYTES = 64 * 1024;

/**
 * Bytes of server responses a session may hold while they are scanned before it stops reading from the
 * server (a client fetching a whole mailbox in one FETCH). Reading resumes below half of it. A single
 * response is always read whole; reading never stops while the proxy's own whole-message fetch is
 * outstanding, since the held responses wait for it.
 */
export const MAX_HELD_BYTES = 64 * MiB;
