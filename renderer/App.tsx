// The main window: header with the three views, warnings from the engine, the selected view (which the
// location hash follows and sets: router/hash-router.ts).
import type { MailwardApi } from '../shared/api.ts';
import { useAppStore } from './store/index.ts';
import type { View } from './store/ui-slice.ts';
import { DetectionsPage } from './pages/DetectionsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { StatusPage } from './pages/StatusPage.tsx';
import { useHashRouter } from './router/hash-router.ts';

const VIEWS: { id: View; label: string }[] = [
  { id: 'status', label: 'Status' },
  { id: 'setup', label: 'Advanced setup' },
  { id: 'detections', label: 'Detections' },
];

export function App({ api }: { api: MailwardApi }) {
  useHashRouter();
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const warnings = useAppStore((s) => s.warnings);
  const dismiss = useAppStore((s) => s.dismissWarning);
  const fatal = useAppStore((s) => s.fatal);
  const enabled = useAppStore((s) => s.status?.enabled);
  const detectionCount = useAppStore((s) => s.detections.length);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className={`brand-mark ${enabled === false ? 'warn' : 'ok'}`} aria-hidden="true" />
          <span className="brand-name">Mailward</span>
        </div>
        <nav aria-label="Main">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className={`nav-item${view === v.id ? ' active' : ''}`}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => setView(v.id)}
            >
              {v.label}
              {v.id === 'detections' && detectionCount > 0 && <span className="badge">{detectionCount}</span>}
            </button>
          ))}
        </nav>
      </header>
      {warnings.map((w, i) => (
        <div className="banner" role="alert" key={i}>
          <span>{w}</span>
          <button type="button" className="link" onClick={() => dismiss(i)}>
            Dismiss
          </button>
        </div>
      ))}
      <main className="content">
        {fatal ? (
          <section className="page fatal" role="alert">
            <h2>Cannot open the settings</h2>
            <p>{fatal}</p>
          </section>
        ) : view === 'status' ? (
          <StatusPage />
        ) : view === 'setup' ? (
          <SetupPage api={api} />
        ) : (
          <DetectionsPage />
        )}
      </main>
    </div>
  );
}
