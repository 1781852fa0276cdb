// Certificate questions answered from the headless console, and certificate rules: a real Dovecot whose
// self-signed certificate Mailward does not trust, real curl, the console API over HTTP with the token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertificateQuestion } from '../shared/events.ts';
import { buildSamples } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, curlServerLines, type CurlTarget } from './helpers/clients.ts';
import { eventually } from './helpers/eventually.ts';
import { consoleOf } from './helpers/mailward.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';

let stack: MailStack;
let consoleOrigin: string;
let token: string;

beforeAll(async () => {
  stack = await startMailStack({
    messages: [buildSamples().cleanPlain],
    routes: ['pop3s'],
    trustDovecot: false,
    args: ['--console-port', '0'],
  });
  ({ origin: consoleOrigin, token } = await consoleOf(stack.mailward));
});

afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

async function callApi(method: string, ...args: unknown[]): Promise<{ status: number; body: any }> {
  const res = await fetch(`${consoleOrigin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  return { status: res.status, body: await res.json() };
}

const target = (): CurlTarget => proxyTarget(stack, 'pop3s');

const rulesOnDisk = () =>
  JSON.parse(readFileSync(join(stack.mailward.dataDir, 'config.json'), 'utf8')).webAndEmail.sslTls
    .certificateRules;

let question: CertificateQuestion;

it('headless default: the untrusted server is refused and the question is listed as blocked', async () => {
  const r = await curlServerLines(target());
  expect(r.code).not.toBe(0);
  expect(r.lines[0]).toMatch(/^-ERR Mailward refused the connection: .*self-signed and not trusted/);
  const listed = await callApi('listCertificateQuestions');
  expect(listed.status).toBe(200);
  question = listed.body.value[0];
  expect(question).toMatchObject({ host: '127.0.0.1', kind: 'unverified', state: 'blocked' });
  expect(question.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

it('"Allow and remember" through the console API saves a rule; the next fetch succeeds', async () => {
  const answered = await callApi('answerCertificateQuestion', question.id, true, true);
  expect(answered).toEqual({ status: 200, body: { ok: true, value: { ok: true } } });
  expect(rulesOnDisk()).toMatchObject([
    { host: '127.0.0.1', fingerprint: question.fingerprint, access: 'allow' },
  ]);
  const r = await curlPop3Retrieve(target(), [1]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.messages[0]!.toString('latin1')).toContain('Subject:');
  const log = readFileSync(join(stack.mailward.dataDir, 'mailward.log'), 'utf8');
  expect(log).toContain('allowed by a certificate rule');
});

it('an unknown question id is reported, and bad arguments are refused', async () => {
  expect((await callApi('answerCertificateQuestion', 'no-such-question', true, true)).status).toBe(404);
  expect((await callApi('answerCertificateQuestion', question.id, 'yes', true)).status).toBe(400);
});

it('a block rule refuses the server even with unverifiedCertificate=allow', async () => {
  const fp = question.fingerprint;
  for (const [key, value] of [
    ['webAndEmail.sslTls.unverifiedCertificate', 'allow'],
    ['webAndEmail.sslTls.certificateRules', `block 127.0.0.1 ${fp} set from the command line`],
  ]) {
    const set = await stack.mailward.cli(['settings', 'set', key, value]);
    expect(set.code, set.stderr).toBe(0);
  }
  const lines = await eventually(async () => {
    const r = await curlServerLines(target());
    if (r.code === 0) throw new Error('still allowed');
    return r.lines;
  });
  expect(lines[0]).toBe(
    "-ERR Mailward refused the connection: the server's certificate for 127.0.0.1 is blocked by a certificate rule",
  );
});
