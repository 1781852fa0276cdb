// The last resort when an infected message cannot be rewritten part by part: a new, simple message that
// keeps the original's identity headers and says what happened. The original is in quarantine already.
import type { MessageScan } from '../scanner/scan-message.ts';
import type { Plan } from './decide.ts';
import { SCAN_HEADER } from './rewrite.ts';

const KEEP = /^(from|to|cc|date|message-id|subject|reply-to|in-reply-to|references):/i;

export function replaceWholeMessage(raw: Buffer, scan: MessageScan, plan: Plan): Buffer {
  const block = raw.toString('latin1', scan.root.start, scan.root.headerEnd);
  const kept = block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => KEEP.test(l));
  const what =
    scan.result.threats.length > 0 ? scan.result.threats.join(', ') : 'content that could not be scanned';
  const lines = [
    `${SCAN_HEADER}: ${plan.scanHeader ?? 'infected'}`,
    ...kept,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `Mailward removed this message's content: it contained ${what.replace(/[^\x20-\x7e]/g, '?')}.`,
    "The original message is kept in Mailward's quarantine.",
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
