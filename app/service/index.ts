// The service host: puts the proxy listeners, TLS interception and the settings console around an
// engine. Used by `mailward run` (headless) and by the Electron shell (which also answers certificate
// questions: set `handle.certificates.interactive = true` and call `handle.certificates.answer(id, allow)`).
// A remembered answer is saved as a certificate rule in the settings, so it holds after a restart.
import type { Engine } from '../../main/engine.ts';
import '../../main/proxy/pop3/index.ts';
import '../../main/proxy/imap/index.ts';
import { ProxyServer, type BoundListener } from '../../main/proxy/server.ts';
import { formatUpstream, listeningLine, parseRoute, type ParsedRoute } from '../../main/proxy/routes.ts';
import { TlsInterceptor } from '../../main/tls/interceptor.ts';
import { withRule } from '../../main/tls/rules.ts';
import type { CertificateQuestions } from '../../main/tls/questions.ts';
import type { CaInfo } from '../../shared/api.ts';
import { startConsole, type RunningConsole } from '../console/start.ts';
import { routeKey, routesFromSettings } from './routes.ts';

export interface ServiceOptions {
  /** `LISTEN=UPSTREAM` routes added for this run (on top of the `routes` setting). */
  routes: string[];
  /** CA files trusted for upstream servers for this run (on top of sslTls.trustedCertificates). */
  trustCa: string[];
  /** Where `listening …` lines and the console's lines go (stdout for `mailward run`). */
  print: (line: string) => void;
  /** Console port; undefined = the `console.port` setting; null = no console. */
  consolePort?: number | null;
}

export interface ListenerInfo {
  scheme: string;
  host: string;
  port: number;
  upstream: string;
}

export interface ServiceHandle {
  listeners(): ListenerInfo[];
  certificates: CertificateQuestions;
  exportCa(): CaInfo;
  console: RunningConsole | null;
  close(): Promise<void>;
}

export async function startService(engine: Engine, opts: ServiceOptions): Promise<ServiceHandle> {
  const flagRoutes = opts.routes.map((r) => parseRoute(r));
  const tls = new TlsInterceptor({
    dataDir: engine.dataDir,
    settings: () => engine.currentSettings(),
    log: engine.log,
    trustCa: opts.trustCa,
    raiseQuestion: (q) => engine.emit('certificateQuestion', q),
    saveRule: (rule) => {
      const r = engine.settings.set(withRule(engine.currentSettings(), rule));
      if (r.ok) engine.log.info({ host: rule.host, access: rule.access }, 'certificate rule saved');
      else engine.log.error({ errors: r.errors }, 'certificate rule not saved');
    },
  });
  const proxy = new ProxyServer({ engine, tls, log: engine.log });
  const bound = new Map<string, BoundListener>();

  const open = async (route: ParsedRoute): Promise<void> => {
    const key = routeKey(route);
    if (bound.has(key)) return;
    const l = await proxy.listen(route);
    bound.set(key, l);
    opts.print(listeningLine(route, l.port));
  };

  // Routes from settings follow the settings live; routes from flags stay for the run.
  const applySettingsRoutes = async (): Promise<void> => {
    const wanted = routesFromSettings(engine.currentSettings(), engine.log);
    const keep = new Set([...wanted, ...flagRoutes].map(routeKey));
    for (const [key, l] of bound) {
      if (keep.has(key)) continue;
      bound.delete(key);
      await l.close();
      engine.log.info({ route: key }, 'route removed; listener closed');
    }
    for (const r of wanted) {
      try {
        await open(r);
      } catch (err) {
        engine.log.error({ route: routeKey(r), err: (err as Error).message }, 'cannot listen for route');
      }
    }
  };

  try {
    for (const r of [...routesFromSettings(engine.currentSettings(), engine.log), ...flagRoutes])
      await open(r);
  } catch (err) {
    // One route cannot listen (port taken…): close what was opened so the caller can exit cleanly.
    await proxy.close();
    throw err;
  }
  let routesChanging = Promise.resolve();
  const onSettings = () => {
    routesChanging = routesChanging.then(applySettingsRoutes, applySettingsRoutes);
  };
  engine.on('settings', onSettings);
  // Changes made by another process (`mailward settings set`) apply to the next connection.
  engine.settings.watchFile();

  const exportCa = (): CaInfo => ({
    pem: tls.ca.certPem,
    fingerprint: tls.ca.fingerprint,
    subject: tls.ca.subject,
  });
  let consoleHandle: RunningConsole | null = null;
  if (opts.consolePort !== null) {
    // Protection does not depend on the console: if its port is taken, say so and go on.
    try {
      consoleHandle = await startConsole(engine, {
        port: opts.consolePort ?? engine.currentSettings().console.port,
        print: opts.print,
        exportCa: async () => exportCa(),
        certificates: () => tls.questions,
      });
    } catch (err) {
      engine.log.error({ err: (err as Error).message }, 'settings console not started');
    }
  }

  return {
    listeners: () =>
      [...bound.values()].map((l) => ({
        scheme: l.route.scheme,
        host: l.host,
        port: l.port,
        upstream: formatUpstream(l.route),
      })),
    certificates: tls.questions,
    exportCa,
    console: consoleHandle,
    async close() {
      engine.off('settings', onSettings);
      tls.questions.close();
      await consoleHandle?.close();
      await routesChanging;
      await proxy.close();
    },
  };
}
