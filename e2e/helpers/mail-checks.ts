// What a user would check in a delivered message: is it the original, and if infected, was it cleaned
// and labelled (notice, X-Mailward-Scan header, subject tag) with nothing of the test virus left.
import { simpleParser } from 'mailparser';
import { expect } from 'vitest';
import { containsEicar } from '../../test/fixtures/samples.ts';

export const toLf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

/** An infected sample as delivered through the proxy: cleaned, tagged, no EICAR in any part. */
export async function expectCleaned(
  delivered: Buffer | undefined,
  original: Buffer,
  label: string,
): Promise<void> {
  expect(delivered, `${label}: delivered`).toBeDefined();
  const msg = delivered!;
  expect(await containsEicar(msg), `${label}: EICAR must not survive`).toBe(false);
  const headEnd =
    msg.indexOf('\n\n') >= 0 && msg.indexOf('\r\n\r\n') < 0 ? msg.indexOf('\n\n') : msg.indexOf('\r\n\r\n');
  const head = msg.subarray(0, headEnd).toString('latin1');
  expect(head, `${label}: scan header`).toMatch(/^X-Mailward-Scan:/im);
  const parsed = await simpleParser(msg);
  const origSubject = (await simpleParser(original)).subject ?? '';
  expect(parsed.subject, `${label}: subject tag`).toMatch(/\[detection [^\]]+\]/);
  expect(parsed.subject, `${label}: subject kept`).toContain(origSubject);
  // The notice that replaces the removed part names what was found.
  const texts = [parsed.text ?? '', ...parsed.attachments.map((a) => a.content.toString('utf8'))].join('\n');
  expect(texts, `${label}: notice`).toMatch(/Eicar|EICAR/);
}
