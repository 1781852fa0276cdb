// @vitest-environment jsdom
// The Advanced setup tree by keyboard alone: arrows move and open/close, Home/End, type-ahead; the page on
// the right follows.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SetupPage } from '../pages/SetupPage.tsx';
import { createAppStore, loadAll, StoreProvider } from '../store/index.ts';
import { createFakeApi } from '../testing/fake-api.ts';

beforeEach(async () => {
  const api = createFakeApi();
  const store = createAppStore(api);
  await loadAll(store);
  render(
    <StoreProvider store={store}>
      <SetupPage api={api} />
    </StoreProvider>,
  );
});
afterEach(cleanup);

const item = (name: string) => screen.getByRole('treeitem', { name });
const focused = () => document.activeElement?.getAttribute('aria-label');
const title = () => screen.getByRole('heading', { level: 2 }).textContent;

it('has one tab stop, and arrows walk the visible pages', async () => {
  await userEvent.tab(); // the search box
  await userEvent.tab();
  expect(focused()).toBe('Web and email');
  expect(screen.getAllByRole('treeitem').filter((el) => el.tabIndex === 0)).toHaveLength(1);
  await userEvent.keyboard('{ArrowDown}{ArrowDown}');
  expect(focused()).toBe('Email protocols');
  expect(item('Email protocols').getAttribute('aria-selected')).toBe('true');
  expect(title()).toBe('Email protocols');
  await userEvent.keyboard('{End}');
  expect(focused()).toBe('User interface');
  await userEvent.keyboard('{Home}');
  expect(focused()).toBe('Web and email');
});

it('Left closes a group and then goes to the parent; Right opens it and goes in', async () => {
  item('Email client protection').focus();
  await userEvent.keyboard('{ArrowLeft}');
  expect(item('Email client protection').getAttribute('aria-expanded')).toBe('false');
  expect(screen.queryByRole('treeitem', { name: 'Email protocols' })).toBeNull();
  await userEvent.keyboard('{ArrowLeft}');
  expect(focused()).toBe('Web and email');
  await userEvent.keyboard('{ArrowDown}{ArrowRight}{ArrowRight}');
  expect(focused()).toBe('Email protocols');
});

it('a letter jumps to the next page starting with it', async () => {
  item('Web and email').focus();
  await userEvent.keyboard('s');
  expect(focused()).toBe('SSL/TLS');
  await userEvent.keyboard('s');
  expect(focused()).toBe('Scanner limits');
  expect(title()).toBe('Scanner limits');
});

it('the search box narrows the tree to pages with matching settings', async () => {
  await userEvent.type(screen.getByRole('searchbox', { name: 'Search settings' }), 'port');
  const names = screen.getAllByRole('treeitem').map((el) => el.getAttribute('aria-label'));
  expect(names).toEqual(['Web and email', 'Email client protection', 'Email protocols', 'User interface']);
  expect(screen.getAllByLabelText(/^Ports used by/)).toHaveLength(4);
  expect(screen.getByLabelText('Console port')).toBeTruthy();
  expect(screen.queryByLabelText('Trusted certificates')).toBeNull();
});
