// Protection status: on/off with the reason, counters since start, pause/resume, the last detections.
import { useState } from 'react';
import { useAppStore } from '../store/index.ts';
import { ACTION_LABELS, formatTime } from '../format.ts';

const PAUSE_CHOICES = [
  { value: '10', label: '10 minutes' },
  { value: '60', label: '1 hour' },
  { value: '480', label: '8 hours' },
  { value: 'restart', label: 'Until resumed or restarted' },
];

export function StatusPage() {
  const status = useAppStore((s) => s.status);
  const stats = useAppStore((s) => s.stats);
  const detections = useAppStore((s) => s.detections);
  const pause = useAppStore((s) => s.pause);
  const resume = useAppStore((s) => s.resume);
  const setView = useAppStore((s) => s.setView);
  const selectDetection = useAppStore((s) => s.selectDetection);
  const [duration, setDuration] = useState('10');
  if (!status || !stats) return <p className="muted">Loading…</p>;
  const protectedNow = status.enabled;

  return (
    <div className="status-page">
      <section className={`hero ${protectedNow ? 'ok' : 'warn'}`} aria-labelledby="protection-title">
        <div className="hero-icon" aria-hidden="true">
          {protectedNow ? '✓' : '!'}
        </div>
        <div className="hero-text">
          <h2 id="protection-title">{protectedNow ? 'You are protected' : 'Protection is off'}</h2>
          <p>
            {status.reason ??
              'Mail downloaded over POP3 and IMAP is checked before your email program sees it.'}
          </p>
        </div>
        <div className="hero-actions">
          {status.paused ? (
            <button type="button" className="primary" onClick={() => void resume()}>
              Resume protection
            </button>
          ) : (
            <>
              <label htmlFor="pause-for" className="visually-hidden">
                Pause for
              </label>
              <select id="pause-for" value={duration} onChange={(e) => setDuration(e.target.value)}>
                {PAUSE_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="secondary"
                onClick={() => void pause(duration === 'restart' ? null : Number(duration))}
              >
                Pause protection
              </button>
            </>
          )}
        </div>
      </section>

      <section aria-label="Counts since start" className="counters">
        {(
          [
            ['Scanned', stats.scanned],
            ['Detected', stats.detected],
            ['Cleaned', stats.cleaned],
          ] as const
        ).map(([label, n]) => (
          <div className="counter" key={label}>
            <span className="counter-value" aria-label={`${label}: ${n}`}>
              {n.toLocaleString()}
            </span>
            <span className="counter-label" aria-hidden="true">
              {label}
            </span>
          </div>
        ))}
        <p className="muted since">Messages since {formatTime(stats.since)}</p>
      </section>

      <section className="panel" aria-labelledby="recent-title">
        <div className="panel-head">
          <h3 id="recent-title">Last detections</h3>
          <button type="button" className="link" onClick={() => setView('detections')}>
            Show all
          </button>
        </div>
        {detections.length === 0 ? (
          <p className="muted">Nothing found so far.</p>
        ) : (
          <ul className="recent">
            {detections.slice(0, 5).map((d) => (
              <li key={d.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    selectDetection(d.id);
                    setView('detections');
                  }}
                >
                  {d.threat}
                </button>
                <span className="muted">
                  {d.subject ? `“${d.subject}”` : 'message'} · {ACTION_LABELS[d.action]} ·{' '}
                  {formatTime(d.time)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
