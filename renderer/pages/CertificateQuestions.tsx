// SSL/TLS › Recent certificate questions: servers whose certificate failed verification and was asked
// about — waiting for an answer (desktop), or already blocked because nobody could answer (headless).
// "Allow and remember" / "Block and remember" save a certificate rule; the next connection follows it.
// New questions arrive live as 'certificateQuestion' events.
import { useCallback, useEffect, useState } from 'react';
import type { MailwardApi } from '../../shared/api.ts';
import type { CertificateQuestion } from '../../shared/events.ts';

const MAX_SHOWN = 50;
const STATE_WORDS = { pending: 'Waiting for your answer', blocked: 'Blocked', allowed: 'Allowed' } as const;

export function CertificateQuestions({ api }: { api: MailwardApi }) {
  const [questions, setQuestions] = useState<CertificateQuestion[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(
    () =>
      api.listCertificateQuestions().then(
        (list) => setQuestions(list),
        (err: Error) => setMessage(`Cannot read certificate questions: ${err.message}`),
      ),
    [api],
  );

  useEffect(() => {
    void reload();
    return api.onEvent((e) => {
      if (e.type !== 'certificateQuestion') return;
      setQuestions((qs) => [e.question, ...qs.filter((q) => q.id !== e.question.id)].slice(0, MAX_SHOWN));
    });
  }, [api, reload]);

  const answer = async (q: CertificateQuestion, allow: boolean) => {
    try {
      await api.answerCertificateQuestion(q.id, allow, true);
      setMessage(
        allow
          ? `Allowed and remembered: the next connection to ${q.server} uses this certificate.`
          : `Blocked and remembered: ${q.server} is refused with this certificate.`,
      );
      await reload();
    } catch (err) {
      setMessage(`The answer was not taken: ${(err as Error).message}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="cert-questions-title">
      <h3 id="cert-questions-title">Recent certificate questions</h3>
      {questions.length === 0 ? (
        <p className="muted">No server certificate needed a decision since Mailward started.</p>
      ) : (
        <ul className="questions">
          {questions.map((q) => (
            <li key={q.id} aria-label={`Certificate question about ${q.server}`}>
              <dl className="facts">
                <dt>Server</dt>
                <dd>{q.server}</dd>
                <dt>Reason</dt>
                <dd>{q.reason}</dd>
                <dt>SHA-256 fingerprint</dt>
                <dd className="mono">{q.fingerprint}</dd>
                <dt>State</dt>
                <dd>{STATE_WORDS[q.state ?? 'pending']}</dd>
              </dl>
              {q.state !== 'allowed' && (
                <div className="actions">
                  <button type="button" onClick={() => void answer(q, true)}>
                    Allow and remember
                  </button>
                  <button type="button" className="secondary" onClick={() => void answer(q, false)}>
                    Block and remember
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
