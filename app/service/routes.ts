// Routes kept in settings (`routes` key) as parsed listeners; a bad stored route is logged and skipped.
import type { Logger } from '../../main/log.ts';
import { formatUpstream, parseRoute, type ParsedRoute } from '../../main/proxy/routes.ts';
import type { Settings } from '../../shared/settings/index.ts';

export function routeKey(r: ParsedRoute): string {
  return `${r.listenHost}:${r.listenPort}=${formatUpstream(r)}`;
}

export function routesFromSettings(settings: Settings, log: Logger): ParsedRoute[] {
  const out: ParsedRoute[] = [];
  for (const r of settings.routes) {
    try {
      out.push(parseRoute(r));
    } catch (err) {
      log.warn({ route: r, err: (err as Error).message }, 'route in settings ignored');
    }
  }
  return out;
}
