// Keeps the location hash and the store's view in step, both ways. On load and on `hashchange` the hash
// route is applied to the store (a tray or notification deep link, back/forward); a navigation made in the
// UI pushes a new history entry, so back/forward retrace it. Started after chooseApi() has read the
// console's `#token=…` (api/index.ts keeps the token in sessionStorage), and a hash that is not a route is
// left alone, so the token is never lost to the router.
import { useLayoutEffect } from 'react';
import { pagePath } from '../../shared/settings/meta.ts';
import { useStoreApi, type AppState, type AppStore } from '../store/index.ts';
import { formatRoute, parseRoute, type Route } from '../../shared/routes.ts';

/** What the window shows now, as a route. */
export function currentRoute(s: AppState): Route {
  if (s.view === 'detections') return { view: 'detections', detection: s.selectedDetection };
  if (s.view === 'setup') return { view: 'setup', page: s.page };
  return { view: 'status' };
}

/** Show a route. A detection id is selected even before the list has loaded: the Detections page opens
 * its detail once the record is there, and says so when the loaded list does not have it. */
export function applyRoute(store: AppStore, route: Route): void {
  const s = store.getState();
  s.setView(route.view);
  if (route.view === 'detections') s.selectDetection(route.detection);
  if (route.view === 'setup' && route.page) {
    // The linked page, not search results, and visible in the tree.
    s.setSearch('');
    for (const p of pagePath(route.page).slice(0, -1)) s.setExpanded(p.id, true);
    s.setPage(route.page);
  }
}

const routeChanged = (a: AppState, b: AppState) =>
  a.view !== b.view || a.page !== b.page || a.selectedDetection !== b.selectedDetection;

/** Start routing `store` by `win`'s hash; returns the function that stops it. */
export function startHashRouter(store: AppStore, win: Window = window): () => void {
  let applying = false;

  const writeHash = (mode: 'push' | 'replace') => {
    const hash = formatRoute(currentRoute(store.getState()));
    if (win.location.hash === hash) return;
    const url = win.location.pathname + win.location.search + hash;
    if (mode === 'push') win.history.pushState(null, '', url);
    else win.history.replaceState(win.history.state, '', url);
  };

  const fromHash = () => {
    const route = parseRoute(win.location.hash);
    if (!route) return;
    applying = true;
    try {
      applyRoute(store, route);
    } finally {
      applying = false;
    }
    // `#/`, `#/setup` → the full route shown, in place: no extra history entry for the same view.
    writeHash('replace');
  };

  fromHash();
  const unsubscribe = store.subscribe((s, prev) => {
    if (!applying && routeChanged(s, prev)) writeHash('push');
  });
  win.addEventListener('hashchange', fromHash);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', fromHash);
  };
}

/** The router for the store in context, from the first paint (no flash of Status before a deep link). */
export function useHashRouter(): void {
  const store = useStoreApi();
  useLayoutEffect(() => startHashRouter(store), [store]);
}
