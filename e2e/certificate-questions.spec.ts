// The SSL/TLS page in a real browser against `mailward run` whose Dovecot upstream has a self-signed
// certificate Mailward does not trust: a blocked fetch shows up live as a question, "Allow and remember"
// adds a rule, and the next fetch gets through.
import { expect, test } from '@playwright/test';
import { buildSamples } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve } from './helpers/clients.ts';
import { consoleOf } from './helpers/mailward.ts';
import { proxyTarget, startMailStack, type MailStack } from './helpers/stack.ts';
import { ConsoleApp } from './pages/console-app.ts';

let stack: MailStack;
let consoleUrl: string;

test.beforeAll(async () => {
  stack = await startMailStack({
    messages: [buildSamples().cleanPlain],
    routes: ['pop3s'],
    trustDovecot: false,
    args: ['--console-port', '0'],
  });
  consoleUrl = (await consoleOf(stack.mailward)).url;
});

test.afterAll(async () => {
  expect(await stack?.close()).toBe(0);
});

const fetch1 = () => curlPop3Retrieve(proxyTarget(stack, 'pop3s'), [1]);

test('a blocked certificate is asked about live; "Allow and remember" lets the next fetch through', async ({
  page,
}) => {
  const app = new ConsoleApp(page);
  await app.open(consoleUrl);
  await app.goTo('Advanced setup');
  await app.setup.openPage('SSL/TLS');
  await expect(page.getByText('No certificate rules.')).toBeVisible();

  expect((await fetch1()).code).not.toBe(0);
  const question = page.getByRole('listitem', {
    name: /^Certificate question about pop3s:\/\/127\.0\.0\.1:\d+$/,
  });
  await expect(question).toContainText('self-signed and not trusted');
  await expect(question).toContainText('Blocked');
  await question.getByRole('button', { name: 'Allow and remember' }).click();

  const rules = page.getByRole('table', { name: 'Certificate rules' });
  await expect(rules.getByRole('row')).toHaveCount(2);
  await expect(rules).toContainText('127.0.0.1');
  await expect(rules).toContainText('Allow');
  await expect(question).toContainText('Allowed');
  const r = await fetch1();
  expect(r.code, r.stderr).toBe(0);

  await rules.getByRole('button', { name: /^Remove the allow rule for 127\.0\.0\.1/ }).click();
  await expect(page.getByText('No certificate rules.')).toBeVisible();
  expect((await fetch1()).code).not.toBe(0);
});
