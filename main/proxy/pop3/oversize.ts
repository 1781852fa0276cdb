// A message over scanner.limits.maxMessageSize cannot be held for scanning: it is streamed on unscanned
// with a header saying so, at the top where the client's filters see it, in the pipeline's format
// (`X-Mailward-Scan: unscannable; reason="…"; action=delivered`, main/pipeline/decide.ts).
import { SCAN_HEADER } from '../../pipeline/rewrite.ts';

export function oversizeTag(limit: number): Buffer {
  const mib = (limit / 1024 / 1024).toFixed(limit % (1024 * 1024) === 0 ? 0 : 1);
  return Buffer.from(
    `${SCAN_HEADER}: unscannable; reason="message larger than the ${mib} MiB scan limit (scanner.limits.maxMessageSize)"; action=delivered\r\n`,
    'latin1',
  );
}
