// Where the user is: the top-level view, the page of the Advanced setup tree, the search text, warnings.
import { PAGES, type PageId } from '../../shared/settings/meta.ts';
import type { Slice } from './settings-slice.ts';

export type View = 'status' | 'setup' | 'detections';

export interface UiSlice {
  view: View;
  page: PageId;
  search: string;
  expanded: PageId[];
  warnings: string[];
  /** Set when the console refused us (wrong token) or is unreachable. */
  fatal: string | null;
  setView(view: View): void;
  setPage(page: PageId): void;
  setSearch(text: string): void;
  setExpanded(page: PageId, open: boolean): void;
  addWarning(message: string): void;
  dismissWarning(index: number): void;
  setFatal(message: string | null): void;
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  view: 'status',
  page: 'webAndEmail',
  search: '',
  // Every group starts open: the tree is short, and the pages users look for are two levels down.
  expanded: PAGES.filter((p) => PAGES.some((c) => c.parent === p.id)).map((p) => p.id),
  warnings: [],
  fatal: null,
  setView: (view) => set({ view }),
  setPage: (page) => set({ page }),
  setSearch: (search) => set({ search }),
  setExpanded(page, open) {
    const rest = get().expanded.filter((p) => p !== page);
    set({ expanded: open ? [...rest, page] : rest });
  },
  addWarning: (message) => set({ warnings: [...get().warnings, message] }),
  dismissWarning: (index) => set({ warnings: get().warnings.filter((_, i) => i !== index) }),
  setFatal: (fatal) => set({ fatal }),
});
