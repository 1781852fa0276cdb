// Mailward answers per-part fetches (`BODY[2.1]`, `BINARY[3]`, `BODY[2.MIME]` …) of a cleaned message by
// cutting the part out of the cleaned copy itself. Its cuts must be exactly what a real server returns:
// here every section of every sample is compared with Dovecot's answer for the same message.
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSection } from '../main/proxy/imap/mime-section.ts';
import { buildLargeMessage, buildSamples, SAMPLE_NAMES } from '../test/fixtures/samples.ts';
import { startDovecot, type RunningDovecot } from './helpers/dovecot.ts';
import { imapflowConnect } from './helpers/imap-clients.ts';

const samples = buildSamples();
const MESSAGES = [
  ...SAMPLE_NAMES.map((n) => [n, samples[n]] as const),
  ['large', buildLargeMessage(200_000)] as const,
];

let dovecot: RunningDovecot;
let client: ImapFlow;

beforeAll(async () => {
  dovecot = await startDovecot({ messages: MESSAGES.map(([, m]) => m) });
  client = await imapflowConnect({
    host: '127.0.0.1',
    port: dovecot.ports.imaps,
    user: dovecot.user,
    password: dovecot.password,
    secure: true,
    ca: dovecot.caPem,
  });
  await client.mailboxOpen('INBOX', { readOnly: true });
});

afterAll(async () => {
  await client?.logout().catch(() => {});
  await dovecot?.stop();
});

/** Every section a client could ask for, from the server's own BODYSTRUCTURE. */
function sectionsOf(node: MessageStructureObject, out: string[] = []): string[] {
  if (node.part) {
    out.push(node.part, `${node.part}.MIME`);
    if (node.type === 'message/rfc822') out.push(`${node.part}.HEADER`, `${node.part}.TEXT`);
  }
  for (const child of node.childNodes ?? []) sectionsOf(child, out);
  return out;
}

describe('per-part sections cut by Mailward equal Dovecot’s', () => {
  it.each(MESSAGES.map(([name], i) => [name, i + 1] as const))('%s', async (_name, uid) => {
    const msg = await client.fetchOne(String(uid), { source: true, bodyStructure: true }, { uid: true });
    expect(msg).toBeTruthy();
    if (!msg) return;
    const whole = msg.source!;
    const sections = ['TEXT', '1', ...sectionsOf(msg.bodyStructure!)];
    const query = { headers: true, bodyParts: [...new Set(sections)] };
    const body = await client.fetchOne(String(uid), query, { uid: true });
    expect(extractSection(whole, 'HEADER')?.toString('latin1'), 'BODY[HEADER]').toBe(
      body && body.headers?.toString('latin1'),
    );
    for (const section of new Set(sections)) {
      const server = body && body.bodyParts?.get(section.toLowerCase());
      expect(server, `Dovecot answered ${section}`).toBeDefined();
      expect(extractSection(whole, section)?.toString('latin1'), `BODY[${section}]`).toBe(
        server!.toString('latin1'),
      );
    }
    // BINARY of an attached message: Dovecot re-encodes the parts inside it as binary, Mailward sends
    // the attached message as it is (both are free of the removed content); compared for leaf parts only.
    const messageParts = sections
      .filter((s) => s.endsWith('.HEADER'))
      .map((s) => s.slice(0, -'.HEADER'.length));
    const numeric = [...new Set(sections)].filter(
      (s) => /^\d+(\.\d+)*$/.test(s) && !messageParts.includes(s),
    );
    const binary = await client.fetchOne(String(uid), { bodyParts: numeric }, { uid: true, binary: true });
    for (const section of numeric) {
      const server = binary && binary.bodyParts?.get(section);
      if (!server) continue; // Dovecot refuses BINARY for parts with an unknown encoding
      expect(extractSection(whole, section, 'BINARY')?.toString('latin1'), `BINARY[${section}]`).toBe(
        server.toString('latin1'),
      );
    }
  });
});
