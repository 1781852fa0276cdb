// @vitest-environment jsdom
// Deep links into the settings window, as the tray and detection notifications open it
// (app/electron/window.ts ROUTES), and the hash following the user's clicks so back/forward work.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiMethod } from '../../shared/api.ts';
import type { DetectionRecord } from '../../shared/events.ts';
import { chooseApi } from '../api/index.ts';
import { App } from '../App.tsx';
import { createAppStore, loadAll, StoreProvider, type AppStore } from '../store/index.ts';
import { createFakeApi, type FakeApi } from '../testing/fake-api.ts';

const detection = (id: string, threat: string, time: string): DetectionRecord => ({
  id,
  time,
  threat,
  threats: [threat],
  heuristic: false,
  subject: `Subject of ${id}`,
  protocol: 'pop3',
  server: 'mail.example.com',
  action: 'removed',
  parts: [],
  sha256: 'ab'.repeat(32),
  size: 1234,
});
const LOG = [
  detection('det-a', 'Eicar-Test-Signature', '2026-12-01T10:00:00Z'),
  detection('det-b', 'Doc.Dropper.Agent', '2026-12-02T10:00:00Z'),
];

let api: FakeApi;
let store: AppStore;

function goTo(hash: string) {
  history.replaceState(null, '', `/${hash}`);
}

/** Open the window at `hash` the way the shell does: the page renders before the data arrives. */
function mount(hash: string) {
  goTo(hash);
  api = createFakeApi();
  api.detections = [...LOG];
  store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App api={api} />
    </StoreProvider>,
  );
}

async function openAt(hash: string) {
  mount(hash);
  await act(() => loadAll(store));
}

/** Something changes the hash (the user, the shell, back/forward); the app hears `hashchange`. */
async function hashChangedBy(change: () => void) {
  await act(async () => {
    const heard = new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    change();
    await heard;
  });
}
const changeHash = (hash: string) => hashChangedBy(() => (location.hash = hash));

const currentView = () =>
  within(screen.getByRole('navigation', { name: 'Main' }))
    .getAllByRole('button')
    .find((b) => b.getAttribute('aria-current') === 'page')?.textContent;
const detailTitle = () => document.getElementById('detail-title')?.textContent ?? null;
const pageTitle = () => document.getElementById('page-title')?.textContent ?? null;

beforeEach(() => sessionStorage.clear());
afterEach(() => {
  cleanup();
  goTo('');
});

describe('at load', () => {
  it('#/detections/<id> opens Detections with that detection in detail, once the log has loaded', async () => {
    mount('#/detections/det-a');
    // Not loaded yet: no detail, and no "unknown" message either.
    expect(currentView()).toMatch(/^Detections/);
    expect(detailTitle()).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    await act(() => loadAll(store));
    expect(detailTitle()).toBe('Eicar-Test-Signature');
    expect(screen.getByRole('row', { selected: true })).toHaveProperty(
      'textContent',
      expect.stringContaining('Subject of det-a'),
    );
    expect(location.hash).toBe('#/detections/det-a');
  });

  it('an id the log does not have shows the whole list and says so', async () => {
    await openAt('#/detections/gone-42');
    expect(currentView()).toMatch(/^Detections/);
    expect(screen.getByRole('alert').textContent).toContain(
      'Detection gone-42 is not in the log: it may have been removed.',
    );
    expect(screen.getAllByRole('row')).toHaveLength(1 + LOG.length);
    expect(detailTitle()).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(location.hash).toBe('#/detections');
  });

  it('#/detections opens the log with no detail', async () => {
    await openAt('#/detections');
    expect(currentView()).toMatch(/^Detections/);
    expect(screen.getByRole('table', { name: 'Detections log' })).toBeTruthy();
    expect(detailTitle()).toBeNull();
  });

  it('#/setup opens Advanced setup on its first page', async () => {
    await openAt('#/setup');
    expect(currentView()).toBe('Advanced setup');
    expect(screen.getByRole('tree', { name: 'Settings' })).toBeTruthy();
    expect(pageTitle()).toBe('Web and email');
    // Shown in full, in place: no extra back step to the same view.
    expect(location.hash).toBe('#/setup/webAndEmail');
  });

  it('#/setup/<page> opens that page of the tree', async () => {
    await openAt('#/setup/emailProtocols');
    expect(currentView()).toBe('Advanced setup');
    expect(pageTitle()).toBe('Email protocols');
    expect(screen.getByRole('treeitem', { name: 'Email protocols' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });

  it.each(['#/', '#/status', ''])('"%s" opens Status', async (hash) => {
    await openAt(hash);
    expect(currentView()).toBe('Status');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('You are protected');
    expect(location.hash).toBe('#/status');
  });
});

describe('on hashchange', () => {
  beforeEach(() => openAt(''));

  it('moves between every route without a reload', async () => {
    await changeHash('#/detections/det-b');
    expect(currentView()).toMatch(/^Detections/);
    expect(detailTitle()).toBe('Doc.Dropper.Agent');
    await changeHash('#/detections/det-a');
    expect(detailTitle()).toBe('Eicar-Test-Signature');
    await changeHash('#/detections');
    expect(detailTitle()).toBeNull();
    await changeHash('#/setup/alerts');
    expect(currentView()).toBe('Advanced setup');
    expect(pageTitle()).toBe('Alerts and notifications');
    await changeHash('#/detections/nope');
    expect(screen.getByRole('alert').textContent).toContain('Detection nope is not in the log');
    await changeHash('#/status');
    expect(currentView()).toBe('Status');
    await changeHash('#/setup');
    // The page the user was on last stays selected.
    expect(pageTitle()).toBe('Alerts and notifications');
    await changeHash('#/');
    expect(currentView()).toBe('Status');
  });

  it('a deep link to a setup page clears a search that would hide it', async () => {
    await changeHash('#/setup');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search settings' }), 'certificate');
    expect(pageTitle()).toBeNull();
    await changeHash('#/setup/emailProtocols');
    expect(pageTitle()).toBe('Email protocols');
  });
});

describe('navigating in the UI', () => {
  it('writes the hash, and back/forward retrace the steps', async () => {
    await openAt('');
    const nav = within(screen.getByRole('navigation', { name: 'Main' }));
    await userEvent.click(nav.getByRole('button', { name: /^Detections/ }));
    expect(location.hash).toBe('#/detections');
    await userEvent.click(screen.getByRole('button', { name: /^Details of Eicar-Test-Signature/ }));
    expect(location.hash).toBe('#/detections/det-a');
    await userEvent.click(nav.getByRole('button', { name: 'Advanced setup' }));
    await userEvent.click(screen.getByRole('treeitem', { name: 'Email protocols' }).firstElementChild!);
    expect(location.hash).toBe('#/setup/emailProtocols');

    const back = () => hashChangedBy(() => history.back());
    await back();
    expect(pageTitle()).toBe('Web and email');
    await back();
    expect(currentView()).toMatch(/^Detections/);
    expect(detailTitle()).toBe('Eicar-Test-Signature');
    await back();
    expect(detailTitle()).toBeNull();
    await hashChangedBy(() => history.forward());
    expect(detailTitle()).toBe('Eicar-Test-Signature');
  });
});

describe('the console URL', () => {
  it('#token=… still authenticates, and routing afterwards keeps the token', async () => {
    // The console's HTTP API in front of the fake engine: only the right bearer token gets an answer.
    const engine = createFakeApi();
    engine.detections = [...LOG];
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const auth = new Headers(init.headers).get('Authorization') ?? '';
      seen.push(auth);
      if (auth !== 'Bearer tok-123')
        return Response.json({ ok: false, error: { code: 'unauthorized', message: 'no' } }, { status: 401 });
      const method = url.split('/api/')[1] as ApiMethod;
      const { args } = JSON.parse(String(init.body)) as { args: unknown[] };
      const value = await (engine[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      return Response.json({ ok: true, value });
    });
    try {
      goTo('#token=tok-123');
      const choice = chooseApi();
      if (!choice.api) throw new Error(choice.problem);
      expect(choice.host).toBe('console');
      store = createAppStore(choice.api);
      render(
        <StoreProvider store={store}>
          <App api={choice.api} />
        </StoreProvider>,
      );
      await act(() => loadAll(store));
      expect(store.getState().fatal).toBeNull();
      expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('You are protected');
      // The token left the address bar for the route, and stays for this tab.
      expect(location.hash).toBe('#/status');
      expect(sessionStorage.getItem('mailward.consoleToken')).toBe('tok-123');

      await changeHash('#/detections/det-b');
      expect(detailTitle()).toBe('Doc.Dropper.Agent');
      await act(() => store.getState().loadDetections());
      expect(seen.length).toBeGreaterThan(3);
      expect(seen.every((a) => a === 'Bearer tok-123')).toBe(true);

      // A reload of the routed address (no token in it) still finds the token.
      cleanup();
      const again = chooseApi();
      expect(again.api && again.host).toBe('console');
      expect(location.hash).toBe('#/detections/det-b');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
