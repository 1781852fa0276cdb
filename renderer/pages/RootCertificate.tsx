// The root certificate Mailward signs intercepted connections with: its fingerprint, Export… (PEM
// download) and how to make mail programs with their own certificate store trust it.
import { useEffect, useState } from 'react';
import type { CaInfo, MailwardApi } from '../../shared/api.ts';
import { saveFile } from '../download.ts';

type CaState =
  { state: 'loading' } | { state: 'ready'; ca: CaInfo } | { state: 'unavailable'; message: string };

export function RootCertificate({ api }: { api: MailwardApi }) {
  const [ca, setCa] = useState<CaState>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    api.exportCa().then(
      (info) => live && setCa({ state: 'ready', ca: info }),
      (err: Error) => live && setCa({ state: 'unavailable', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <section className="panel" aria-labelledby="root-ca-title">
      <h3 id="root-ca-title">Root certificate</h3>
      {ca.state === 'loading' && <p className="muted">Reading the root certificate…</p>}
      {ca.state === 'unavailable' && <p className="muted">{ca.message}</p>}
      {ca.state === 'ready' && (
        <>
          <dl className="facts">
            <dt>Subject</dt>
            <dd>{ca.ca.subject}</dd>
            <dt>SHA-256 fingerprint</dt>
            <dd className="mono" aria-label="Root certificate fingerprint">
              {ca.ca.fingerprint}
            </dd>
          </dl>
          <button
            type="button"
            onClick={() => saveFile('mailward-root-ca.pem', ca.ca.pem, 'application/x-pem-file')}
          >
            Export…
          </button>
        </>
      )}
      <details className="howto">
        <summary>How to install it in Thunderbird</summary>
        <ol>
          <li>Export the certificate with the button above.</li>
          <li>
            In Thunderbird open Settings › Privacy &amp; Security › Certificates › Manage Certificates….
          </li>
          <li>
            On the Authorities tab choose Import…, pick mailward-root-ca.pem and tick “Trust this CA to
            identify websites”.
          </li>
          <li>Restart Thunderbird. Each Thunderbird profile has its own store: repeat for every profile.</li>
        </ol>
      </details>
      <details className="howto">
        <summary>How to install it in the system store</summary>
        <ol>
          <li>
            Debian and Ubuntu: copy the file to{' '}
            <code>/usr/local/share/ca-certificates/mailward-root-ca.crt</code> and run{' '}
            <code>sudo update-ca-certificates</code>.
          </li>
          <li>
            Fedora: copy it to <code>/etc/pki/ca-trust/source/anchors/</code> and run{' '}
            <code>sudo update-ca-trust</code>.
          </li>
          <li>
            From a terminal, <code>mailward ca export</code> prints the same certificate and{' '}
            <code>mailward ca fingerprint</code> its fingerprint, to compare with the one above.
          </li>
        </ol>
      </details>
    </section>
  );
}
