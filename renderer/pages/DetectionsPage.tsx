// The detections log: a table, a detail view of the selected row, and "Save original…" for a
// quarantined message (a download of the .eml — never delivered to the mailbox again).
import { useState } from 'react';
import type { DetectionRecord } from '../../shared/events.ts';
import { base64ToBytes, saveFile } from '../download.ts';
import { ACTION_LABELS, formatBytes, formatTime } from '../format.ts';
import { useAppStore } from '../store/index.ts';

function Detail({ d }: { d: DetectionRecord }) {
  const fetchOriginal = useAppStore((s) => s.fetchOriginal);
  const close = useAppStore((s) => s.selectDetection);
  const [note, setNote] = useState<string | null>(null);
  const save = async () => {
    setNote(null);
    try {
      const original = await fetchOriginal(d.id);
      saveFile(original.filename, base64ToBytes(original.base64), 'message/rfc822');
      setNote(`Saved as ${original.filename}. It was not delivered to your mailbox.`);
    } catch (err) {
      setNote(`Could not get the original: ${(err as Error).message}`);
    }
  };
  const rows: [string, string][] = [
    ['Time', formatTime(d.time)],
    ['Threat', d.threats.join(', ') + (d.heuristic ? ' (heuristic)' : '')],
    ['Sender', d.from ?? '—'],
    ['Subject', d.subject ?? '—'],
    ['Protocol', d.protocol.toUpperCase()],
    ['Server', d.server],
    ['User', d.user ?? '—'],
    ['Action taken', ACTION_LABELS[d.action] ?? d.action],
    ['Size', formatBytes(d.size)],
    ['SHA-256', d.sha256],
  ];
  return (
    <section className="panel detail" aria-labelledby="detail-title">
      <div className="panel-head">
        <h3 id="detail-title">{d.threat}</h3>
        <button type="button" className="link" onClick={() => close(null)}>
          Close details
        </button>
      </div>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className={k === 'SHA-256' ? 'mono' : undefined}>{v}</dd>
          </div>
        ))}
      </dl>
      {d.parts.length > 0 && (
        <>
          <h4>Affected parts</h4>
          <ul className="parts">
            {d.parts.map((p) => (
              <li key={p.part}>
                Part {p.part}
                {p.filename ? ` (${p.filename})` : ''}: {p.threat}
              </li>
            ))}
          </ul>
        </>
      )}
      {d.quarantineId ? (
        <div className="restore">
          <button type="button" onClick={() => void save()}>
            Save original…
          </button>
          <p className="help">
            The original message is saved as a file for you to inspect. It is not delivered again.
          </p>
        </div>
      ) : (
        <p className="muted">No original was kept: the message was not altered.</p>
      )}
      {note && (
        <p role="status" className="note">
          {note}
        </p>
      )}
    </section>
  );
}

export function DetectionsPage() {
  const detections = useAppStore((s) => s.detections);
  const selected = useAppStore((s) => s.selectedDetection);
  const select = useAppStore((s) => s.selectDetection);
  const loaded = useAppStore((s) => s.detectionsLoaded);
  const current = detections.find((d) => d.id === selected);
  // A link (notification, back/forward) to a detection the log no longer has.
  const missing = loaded && selected !== null && !current;

  return (
    <div className="detections-page">
      <div className="page-head">
        <div>
          <h2>Detections</h2>
          <p className="muted">
            Threats found in your mail, newest first. New ones appear here as they are found.
          </p>
        </div>
      </div>
      {missing && (
        <div className="banner" role="alert">
          <span>
            Detection {selected} is not in the log: it may have been removed. All detections are listed below.
          </span>
          <button type="button" className="link" onClick={() => select(null)}>
            Dismiss
          </button>
        </div>
      )}
      {detections.length === 0 ? (
        <p className="empty">No detections yet.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Detections log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Threat</th>
                <th scope="col">Sender</th>
                <th scope="col">Subject</th>
                <th scope="col">Protocol</th>
                <th scope="col">Server</th>
                <th scope="col">Action taken</th>
              </tr>
            </thead>
            <tbody>
              {detections.map((d) => (
                <tr
                  key={d.id}
                  aria-selected={d.id === selected}
                  className={d.id === selected ? 'selected' : undefined}
                >
                  <td>{formatTime(d.time)}</td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      aria-label={`Details of ${d.threat} at ${formatTime(d.time)}`}
                      onClick={() => select(d.id)}
                    >
                      {d.threat}
                    </button>
                  </td>
                  <td>{d.from ?? '—'}</td>
                  <td>{d.subject ?? '—'}</td>
                  <td>{d.protocol.toUpperCase()}</td>
                  <td>{d.server}</td>
                  <td>{ACTION_LABELS[d.action] ?? d.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <Detail d={current} />}
    </div>
  );
}
