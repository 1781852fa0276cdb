// The right-hand side of Advanced setup: the selected page's settings, grouped into sections, with
// "Revert page to defaults"; or, while searching, every matching setting grouped by page.
import { Fragment } from 'react';
import type { MailwardApi } from '../../shared/api.ts';
import {
  childPages,
  pageKeys,
  pageMeta,
  pagePath,
  settingMeta,
  type PageId,
} from '../../shared/settings/meta.ts';
import { SettingField } from '../components/SettingField.tsx';
import { useAppStore } from '../store/index.ts';
import { fieldText } from '../store/settings-slice.ts';
import { defaultText } from '../store/validate.ts';
import { CertificateQuestions } from './CertificateQuestions.tsx';
import { CertificateRules } from './CertificateRules.tsx';
import { RootCertificate } from './RootCertificate.tsx';

function Sections({ keys }: { keys: string[] }) {
  let last: string | undefined;
  return (
    <>
      {keys.map((key) => {
        const section = settingMeta(key).section;
        const heading = section && section !== last ? <h3 className="section">{section}</h3> : null;
        last = section;
        return (
          <Fragment key={key}>
            {heading}
            <SettingField settingKey={key} />
          </Fragment>
        );
      })}
    </>
  );
}

export function PageBody({ page, api }: { page: PageId; api: MailwardApi }) {
  const meta = pageMeta(page);
  const keys = pageKeys(page);
  const setPage = useAppStore((s) => s.setPage);
  const revertPage = useAppStore((s) => s.revertPageToDefaults);
  const anyChanged = useAppStore((s) => keys.some((k) => fieldText(s, k) !== defaultText(k)));
  const children = childPages(page);

  return (
    <section className="page" aria-labelledby="page-title">
      {meta.parent && (
        <nav className="crumbs" aria-label="Breadcrumb">
          {pagePath(page)
            .slice(0, -1)
            .map((p) => (
              <span key={p.id}>
                <button type="button" className="link" onClick={() => setPage(p.id)}>
                  {p.title}
                </button>
                {' › '}
              </span>
            ))}
        </nav>
      )}
      <div className="page-head">
        <div>
          <h2 id="page-title">{meta.title}</h2>
          <p className="muted">{meta.description}</p>
        </div>
        {keys.length > 0 && (
          <button type="button" className="secondary" disabled={!anyChanged} onClick={() => revertPage(page)}>
            Revert page to defaults
          </button>
        )}
      </div>
      {/* Certificate rules have their own list (below) instead of a text field. */}
      <Sections keys={keys.filter((k) => settingMeta(k).control !== 'certificateRules')} />
      {page === 'sslTls' && (
        <>
          <CertificateRules api={api} />
          <CertificateQuestions api={api} />
          <RootCertificate api={api} />
        </>
      )}
      {children.length > 0 && (
        <div className="subpages">
          {children.map((c) => (
            <button type="button" key={c.id} className="card-link" onClick={() => setPage(c.id)}>
              <strong>{c.title}</strong>
              <span className="muted">{c.description}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

export function SearchResults({ matches }: { matches: Map<PageId, string[]> }) {
  const search = useAppStore((s) => s.search);
  if (matches.size === 0)
    return (
      <section className="page">
        <h2>No settings match “{search}”</h2>
        <p className="muted">Try a shorter word, such as “port”, “certificate” or “subject”.</p>
      </section>
    );
  return (
    <section className="page" aria-label="Search results">
      {[...matches].map(([page, keys]) => (
        <Fragment key={page}>
          <h2 className="result-page">
            {pagePath(page)
              .map((p) => p.title)
              .join(' › ')}
          </h2>
          <Sections keys={keys} />
        </Fragment>
      ))}
    </section>
  );
}
