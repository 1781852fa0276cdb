// Advanced setup: search box and tree on the left, the selected page on the right, OK / Cancel below.
// Edits are staged; OK (disabled while a field is invalid) applies them all at once, Cancel drops them.
import { useMemo } from 'react';
import type { MailwardApi } from '../../shared/api.ts';
import { settingKeys } from '../../shared/settings/index.ts';
import { PAGES, settingMeta, type PageId } from '../../shared/settings/meta.ts';
import { Tree } from '../components/Tree.tsx';
import { useAppStore } from '../store/index.ts';
import { PageBody, SearchResults } from './SettingsPageBody.tsx';

/** Settings whose name (label) or key contains the query, grouped by page in tree order. */
function searchSettings(query: string): Map<PageId, string[]> {
  const q = query.trim().toLowerCase();
  const out = new Map<PageId, string[]>();
  if (!q) return out;
  for (const key of settingKeys()) {
    const meta = settingMeta(key);
    if (!meta.label.toLowerCase().includes(q) && !key.toLowerCase().includes(q)) continue;
    out.set(meta.page, [...(out.get(meta.page) ?? []), key]);
  }
  return new Map(PAGES.filter((p) => out.has(p.id)).map((p) => [p.id, out.get(p.id)!]));
}

function withAncestors(ids: Iterable<PageId>): Set<PageId> {
  const set = new Set<PageId>();
  for (const id of ids)
    for (let p: PageId | null = id; p; p = PAGES.find((x) => x.id === p)!.parent) set.add(p);
  return set;
}

export function SetupPage({ api }: { api: MailwardApi }) {
  const page = useAppStore((s) => s.page);
  const search = useAppStore((s) => s.search);
  const setSearch = useAppStore((s) => s.setSearch);
  const stagedCount = useAppStore((s) => Object.keys(s.staged).length);
  const errorCount = useAppStore((s) => Object.keys(s.errors).length);
  const applying = useAppStore((s) => s.applying);
  const applyError = useAppStore((s) => s.applyError);
  const apply = useAppStore((s) => s.apply);
  const cancel = useAppStore((s) => s.cancel);

  const matches = useMemo(() => searchSettings(search), [search]);
  const visible = useMemo(
    () => (search.trim() ? withAncestors(matches.keys()) : new Set(PAGES.map((p) => p.id))),
    [search, matches],
  );

  return (
    <div className="setup">
      <aside className="setup-nav">
        <input
          type="search"
          className="search"
          placeholder="Search settings"
          aria-label="Search settings"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Tree visible={visible} />
      </aside>
      <div className="setup-page">
        {search.trim() ? <SearchResults matches={matches} /> : <PageBody page={page} api={api} />}
      </div>
      <footer className="actions">
        <span className="muted" role="status">
          {errorCount > 0
            ? `${errorCount} ${errorCount === 1 ? 'field needs' : 'fields need'} fixing`
            : stagedCount > 0
              ? `${stagedCount} unsaved ${stagedCount === 1 ? 'change' : 'changes'}`
              : 'All changes saved'}
        </span>
        {applyError && (
          <span className="error" role="alert">
            {applyError}
          </span>
        )}
        <button
          type="button"
          className="primary"
          disabled={errorCount > 0 || applying}
          onClick={() => void apply()}
        >
          OK
        </button>
        <button
          type="button"
          className="secondary"
          disabled={stagedCount === 0 && errorCount === 0}
          onClick={cancel}
        >
          Cancel
        </button>
      </footer>
    </div>
  );
}
