// @vitest-environment jsdom
// The port-list and IP-list editors as a user meets them in Advanced setup: type, see the message next to
// the field, OK disabled until it is fixed; Cancel puts the saved value back.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SetupPage } from '../pages/SetupPage.tsx';
import { connectEvents, createAppStore, loadAll, StoreProvider, type AppStore } from '../store/index.ts';
import { createFakeApi, type FakeApi } from '../testing/fake-api.ts';

let api: FakeApi;
let store: AppStore;

async function openPage(page: 'emailProtocols' | 'protocolFiltering' | 'alerts') {
  api = createFakeApi();
  store = createAppStore(api);
  connectEvents(store, api);
  await loadAll(store);
  store.getState().setPage(page);
  render(
    <StoreProvider store={store}>
      <SetupPage api={api} />
    </StoreProvider>,
  );
}

afterEach(cleanup);

const okButton = () => screen.getByRole('button', { name: 'OK' });

/** Replace the field's text the way a user does: select all, type. */
async function typeInto(label: string, text: string) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  if (text)
    await userEvent.type(
      field,
      text.replace(/[{[]/g, (c) => c + c),
    );
  return field;
}

function messageFor(label: string): string | null {
  const field = screen.getByLabelText(label);
  const box = field.closest('.field') as HTMLElement;
  return within(box).queryByRole('alert')?.textContent ?? null;
}

describe('port-list editor', () => {
  beforeEach(() => openPage('emailProtocols'));

  it.each([
    ['993, abc', '"abc" is not a port number'],
    ['99999', 'Port 99999 is out of range 1–65535'],
    ['0', 'Port 0 is out of range 1–65535'],
    ['993, 993', 'Port 993 is listed twice'],
    ['993,,995', 'Empty item in the port list'],
    ['', 'Enter at least one port'],
    ['995', 'Port 995 is already used by IMAPS'],
  ])('typing "%s" shows "%s" and disables OK', async (text, message) => {
    const field = await typeInto('Ports used by IMAPS', text);
    // The message for a port another protocol already uses sits on that later protocol's field.
    const where = message.includes('already used') ? 'Ports used by POP3S' : 'Ports used by IMAPS';
    expect(messageFor(where)).toBe(message);
    expect(field.getAttribute('aria-invalid') === 'true' || where !== 'Ports used by IMAPS').toBe(true);
    expect((okButton() as HTMLButtonElement).disabled).toBe(true);
  });

  it('fixing the list clears the message and OK applies it', async () => {
    await typeInto('Ports used by IMAPS', '993, abc');
    expect((okButton() as HTMLButtonElement).disabled).toBe(true);
    await typeInto('Ports used by IMAPS', '993, 1993');
    expect(messageFor('Ports used by IMAPS')).toBeNull();
    expect((okButton() as HTMLButtonElement).disabled).toBe(false);
    await userEvent.click(okButton());
    expect(api.settings.webAndEmail.emailClientProtection.emailProtocols.imaps.ports).toEqual([993, 1993]);
    expect(screen.getByRole('status').textContent).toBe('All changes saved');
  });

  it('Cancel puts the saved ports back', async () => {
    await typeInto('Ports used by IMAPS', '1');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect((screen.getByLabelText('Ports used by IMAPS') as HTMLInputElement).value).toBe('585, 993');
    expect(api.setCalls).toHaveLength(0);
  });

  it('a changed field is marked and can be reverted to its default', async () => {
    await typeInto('Ports used by IMAPS', '993');
    await userEvent.click(okButton());
    const revert = screen.getByRole('button', { name: 'Revert “Ports used by IMAPS” to default' });
    await userEvent.click(revert);
    expect((screen.getByLabelText('Ports used by IMAPS') as HTMLInputElement).value).toBe('585, 993');
    expect(screen.getByRole('status').textContent).toBe('1 unsaved change');
  });
});

describe('IP-list editor', () => {
  beforeEach(() => openPage('protocolFiltering'));
  const LABEL = 'Excluded IP addresses';

  it.each([
    ['10.0.0.300', '"10.0.0.300" is not an IP address, range or subnet'],
    ['mail.example.com', '"mail.example.com" is not an IP address, range or subnet'],
    ['10.0.0.1 - 10.0.0.x', 'Range "10.0.0.1 - 10.0.0.x": "10.0.0.x" is not an IP address'],
    ['nope to 10.0.0.1', 'Range "nope to 10.0.0.1": "nope" is not an IP address'],
    ['10.0.0.9 - 10.0.0.1', 'Range "10.0.0.9 - 10.0.0.1" ends before it starts'],
    ['10.0.0.1 - ::1', 'Range "10.0.0.1 - ::1" mixes IPv4 and IPv6 addresses'],
    ['1.2.3.4 - 1.2.3.5 - 1.2.3.6', '"1.2.3.4 - 1.2.3.5 - 1.2.3.6" is not a valid range'],
    ['192.168.1.0/33', 'Subnet "192.168.1.0/33": the prefix length must be 0–32'],
    ['2002::1/129', 'Subnet "2002::1/129": the prefix length must be 0–128'],
    ['300.1.1.0/24', 'Subnet "300.1.1.0/24": "300.1.1.0" is not an IP address'],
    ['10.0.0.1; 10.0.0.1', '"10.0.0.1" is listed twice'],
  ])('typing "%s" shows "%s" and disables OK', async (text, message) => {
    await typeInto(LABEL, text);
    expect(messageFor(LABEL)).toBe(message);
    expect((okButton() as HTMLButtonElement).disabled).toBe(true);
  });

  it('accepts addresses, ranges and subnets, IPv4 and IPv6, split by newline, comma or semicolon', async () => {
    await typeInto(
      LABEL,
      '10.0.0.5\n192.168.0.1 to 192.168.0.99, 192.168.1.0/24; 2002:c0a8:6301:1::1/64\n::ffff:10.1.2.3 - ::ffff:10.1.2.9',
    );
    expect(messageFor(LABEL)).toBeNull();
    await userEvent.click(okButton());
    expect(api.settings.webAndEmail.protocolFiltering.excludedAddresses).toEqual([
      '10.0.0.5',
      '192.168.0.1 to 192.168.0.99',
      '192.168.1.0/24',
      '2002:c0a8:6301:1::1/64',
      '::ffff:10.1.2.3 - ::ffff:10.1.2.9',
    ]);
  });
});

describe('subject template', () => {
  beforeEach(() => openPage('alerts'));

  it('the preview follows the text as it is typed', async () => {
    await typeInto('Text to add to the subject of infected email', '[virus %DETECTIONNAME%] ');
    expect(screen.getByRole('status', { name: 'Subject preview' }).textContent).toBe(
      'Invoice for March [virus Eicar-Test-Signature] ',
    );
  });
});
