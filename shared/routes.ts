// The hash routes the settings window opens at: a contract between the desktop shell (app/electron/window.ts
// builds deep links with formatRoute) and the renderer (renderer/router/hash-router.ts parses them). Pure functions.
import { PAGES, type PageId } from './settings/meta.ts';

export type Route =
  | { view: 'status' }
  | { view: 'detections'; detection: string | null }
  | { view: 'setup'; page: PageId | null };

const isPageId = (s: string): s is PageId => PAGES.some((p) => p.id === s);

/** The route a hash names, or null when the hash is not a route (e.g. the console's `#token=…`). */
export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/' || path === '/status') return { view: 'status' };
  if (!path.startsWith('/')) return null;
  const [view, arg, ...rest] = path.slice(1).split('/');
  if (rest.length > 0 || (view !== 'detections' && view !== 'setup')) return null;
  let param: string | null = null;
  try {
    param = arg ? decodeURIComponent(arg) : null;
  } catch {
    return null; // malformed %-escape: not a link we made
  }
  // An unknown page still opens Advanced setup, on the page the user was on.
  if (view === 'setup') return { view, page: param && isPageId(param) ? param : null };
  return { view, detection: param };
}

/** The hash for a route; `page`/`detection` null leave that part out. */
export function formatRoute(route: Route): string {
  if (route.view === 'status') return '#/status';
  const param = route.view === 'setup' ? route.page : route.detection;
  return `#/${route.view}${param ? `/${encodeURIComponent(param)}` : ''}`;
}
