// SSL/TLS › Certificate rules: the certificates always allowed or blocked (remembered answers land here),
// each removable. Removing saves at once, like answering a question does.
import { useState } from 'react';
import type { MailwardApi } from '../../shared/api.ts';
import type { CertificateRule, Settings } from '../../shared/settings/index.ts';
import { useAppStore } from '../store/index.ts';

function withoutRule(s: Settings, index: number): Settings {
  const ssl = s.webAndEmail.sslTls;
  const certificateRules = ssl.certificateRules.filter((_, i) => i !== index);
  return { ...s, webAndEmail: { ...s.webAndEmail, sslTls: { ...ssl, certificateRules } } };
}

const shortFp = (fp: string) => `${fp.slice(0, 11)}…`;

export function CertificateRules({ api }: { api: MailwardApi }) {
  const saved = useAppStore((s) => s.saved);
  const receive = useAppStore((s) => s.receiveSettings);
  const [problem, setProblem] = useState<string | null>(null);
  const rules: CertificateRule[] = saved?.webAndEmail.sslTls.certificateRules ?? [];

  const remove = async (index: number) => {
    if (!saved) return;
    try {
      const r = await api.setSettings(withoutRule(saved, index));
      if (r.ok) receive(r.settings);
      setProblem(r.ok ? null : r.errors.map((e) => e.message).join('; '));
    } catch (err) {
      setProblem(`The rule was not removed: ${(err as Error).message}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="cert-rules-title">
      <h3 id="cert-rules-title">Certificate rules</h3>
      <p className="muted">
        Server certificates always allowed or blocked, before the validity settings apply. “Remember” answers
        are added here.
      </p>
      {rules.length === 0 ? (
        <p className="muted">No certificate rules.</p>
      ) : (
        <table aria-labelledby="cert-rules-title">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col">Access</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={`${r.host}|${r.fingerprint}|${i}`}>
                <td>{r.host}</td>
                <td className="mono" title={r.fingerprint}>
                  {r.fingerprint}
                </td>
                <td>{r.access === 'allow' ? 'Allow' : 'Block'}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Remove the ${r.access} rule for ${r.host} (${shortFp(r.fingerprint)})`}
                    onClick={() => void remove(i)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}
