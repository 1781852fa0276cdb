// Large messages through `mailward run` with curl: a 25 MB message with an infected attachment after
// the large one is cleaned; a message over scanner.limits.maxMessageSize is delivered whole, unscanned,
// with the unscannable tag (never dropped, never half-delivered).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLargeMessage, containsEicar } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, type CurlTarget } from './helpers/clients.ts';
import { eventually } from './helpers/eventually.ts';
import { expectCleaned } from './helpers/mail-checks.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';

let stack: MailStack;
let direct: Buffer[];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  stack = await startMailStack({
    messages: [
      buildLargeMessage(25 * 1024 * 1024, { infected: true }),
      buildLargeMessage(3 * 1024 * 1024, { infected: true }),
    ],
    routes: ['pop3s'],
  });
  const d = stack.dovecot;
  const r = await curlPop3Retrieve(
    {
      scheme: 'pop3s',
      host: '127.0.0.1',
      port: d.ports.pop3s,
      user: d.user,
      password: d.password,
      cacert: d.certPath,
    },
    [1, 2],
  );
  expect(r.code, r.stderr).toBe(0);
  direct = r.messages.map((m) => m!);
});

afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

const viaProxy = (): CurlTarget => proxyTarget(stack, 'pop3s');

describe('large messages', () => {
  it('a 25 MB message with an infected attachment arrives cleaned, the large attachment intact', async () => {
    const r = await curlPop3Retrieve(viaProxy(), [1]);
    expect(r.code, r.stderr).toBe(0);
    await expectCleaned(r.messages[0], direct[0], '25 MB');
    // The 25 MB attachment itself is still there, byte for byte (its base64 block is unchanged).
    const block = direct[0].subarray(
      direct[0].indexOf('large.bin'),
      direct[0].indexOf('large.bin') + 20 * 1024 * 1024,
    );
    expect(r.messages[0]!.includes(block.subarray(block.length - 4096))).toBe(true);
  });

  it('a message over the size limit is delivered whole and unscanned, tagged as unscannable', async () => {
    const set = await stack.mailward.cli([
      'settings',
      'set',
      'scanner.limits.maxMessageSize',
      String(1024 * 1024),
    ]);
    expect(set.code, set.stderr).toBe(0);
    const got = await eventually(async () => {
      const r = await curlPop3Retrieve(viaProxy(), [2]);
      if (r.code !== 0) throw new Error(r.stderr);
      if (!r.messages[0]!.subarray(0, 200).toString().includes('unscannable'))
        throw new Error('limit not applied yet');
      return r.messages[0]!;
    });
    const tag = got.subarray(0, got.indexOf('\r\n') + 2).toString();
    expect(tag).toMatch(/^X-Mailward-Scan: unscannable; reason="message larger than the 1 MiB scan limit/);
    // Everything after the tag line is the original, byte for byte: nothing lost, nothing half-delivered.
    expect(sha(got.subarray(tag.length))).toBe(sha(direct[1]));
    expect(await containsEicar(got)).toBe(true); // unscanned means unscanned: the user was told by the tag
  });
});
