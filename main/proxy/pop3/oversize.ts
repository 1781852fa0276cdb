// A message over scanner.limits.maxMessageSize cannot be held for scanning: it is streamed on unscanned
// with a header saying so, at the top where the client's filters see it (the pipeline's unscannable tag
// for messages it could read whole says the same in its own words).

export function oversizeTag(limit: number): Buffer {
  const mib = (limit / 1024 / 1024).toFixed(limit % (1024 * 1024) === 0 ? 0 : 1);
  return Buffer.from(
    `X-Mailward-Scan: unscannable; reason="message larger than the ${mib} MiB scan limit (scanner.limits.maxMessageSize)"\r\n`,
    'latin1',
  );
}
