// @vitest-environment jsdom
// The SSL/TLS page's certificate rules and recent questions, as a user meets them.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CertificateQuestion } from '../../shared/events.ts';
import { defaultSettings } from '../../shared/settings/index.ts';
import { connectEvents, createAppStore, loadAll, StoreProvider } from '../store/index.ts';
import { createFakeApi, type FakeApi } from '../testing/fake-api.ts';
import { SetupPage } from './SetupPage.tsx';

const FP = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
const question = (id: string, server: string): CertificateQuestion => ({
  id,
  server,
  host: 'mail.example.com',
  reason: "the server's certificate for mail.example.com is self-signed and not trusted",
  fingerprint: FP,
  kind: 'unverified',
  state: 'blocked',
});

let api: FakeApi;

beforeEach(async () => {
  const s = defaultSettings();
  s.webAndEmail.sslTls.certificateRules = [{ host: 'old.example.com', fingerprint: FP, access: 'block' }];
  api = createFakeApi(s);
  api.questions = [question('q1', 'pop3s://mail.example.com:995')];
  const store = createAppStore(api);
  connectEvents(store, api);
  await loadAll(store);
  store.getState().setPage('sslTls');
  render(
    <StoreProvider store={store}>
      <SetupPage api={api} />
    </StoreProvider>,
  );
});
afterEach(cleanup);

it('lists certificate rules; Remove saves the settings without the rule', async () => {
  const rules = screen.getByRole('table', { name: 'Certificate rules' });
  expect(within(rules).getByText('old.example.com')).toBeTruthy();
  expect(within(rules).getByText('Block')).toBeTruthy();
  await userEvent.click(
    screen.getByRole('button', { name: `Remove the block rule for old.example.com (${FP.slice(0, 11)}…)` }),
  );
  expect(api.settings.webAndEmail.sslTls.certificateRules).toEqual([]);
  expect(await screen.findByText('No certificate rules.')).toBeTruthy();
});

it('shows a blocked question with its reason and fingerprint; "Allow and remember" answers it', async () => {
  const item = await screen.findByRole('listitem', {
    name: 'Certificate question about pop3s://mail.example.com:995',
  });
  expect(within(item).getByText(/self-signed and not trusted/)).toBeTruthy();
  expect(within(item).getByText(FP)).toBeTruthy();
  expect(within(item).getByText('Blocked')).toBeTruthy();
  await userEvent.click(within(item).getByRole('button', { name: 'Allow and remember' }));
  expect(api.answers).toEqual([['q1', true, true]]);
  expect(
    await screen.findByText(
      'Allowed and remembered: the next connection to pop3s://mail.example.com:995 uses this certificate.',
    ),
  ).toBeTruthy();
});

it('a question raised while the page is open appears at once', async () => {
  await screen.findByRole('listitem', { name: /pop3s:\/\/mail\.example\.com:995/ });
  act(() =>
    api.emit({ type: 'certificateQuestion', question: question('q2', 'imaps://imap.example.org:993') }),
  );
  const items = screen.getAllByRole('listitem', { name: /^Certificate question about/ });
  expect(items.map((i) => i.getAttribute('aria-label'))).toEqual([
    'Certificate question about imaps://imap.example.org:993',
    'Certificate question about pop3s://mail.example.com:995',
  ]);
  await userEvent.click(within(items[0]).getByRole('button', { name: 'Block and remember' }));
  expect(api.answers).toEqual([['q2', false, true]]);
});
