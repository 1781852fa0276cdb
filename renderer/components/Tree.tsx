// The "Advanced setup" tree (WAI-ARIA tree pattern): one tab stop, arrow keys move and open/close,
// Home/End jump, a letter jumps to the next page starting with it; selection follows focus so the page
// on the right changes as the user moves.
import { useRef, type KeyboardEvent } from 'react';
import { PAGES, type PageId, type PageMeta } from '../../shared/settings/meta.ts';
import { useAppStore } from '../store/index.ts';

interface Props {
  /** Pages to show (search filters the tree); their parents are shown too. */
  visible: Set<PageId>;
}

const hasChildren = (id: PageId) => PAGES.some((p) => p.parent === id);
const level = (p: PageMeta): number => (p.parent ? 1 + level(PAGES.find((x) => x.id === p.parent)!) : 1);

export function Tree({ visible }: Props) {
  const page = useAppStore((s) => s.page);
  const expanded = useAppStore((s) => s.expanded);
  const setPage = useAppStore((s) => s.setPage);
  const setExpanded = useAppStore((s) => s.setExpanded);
  const searching = useAppStore((s) => s.search.trim() !== '');
  const refs = useRef(new Map<PageId, HTMLLIElement>());

  const isOpen = (id: PageId) => searching || expanded.includes(id);
  // Visible rows in display order: a page is shown when all its ancestors are open.
  const rows = PAGES.filter((p) => {
    if (!visible.has(p.id)) return false;
    for (let q = p.parent; q; q = PAGES.find((x) => x.id === q)!.parent) if (!isOpen(q)) return false;
    return true;
  });
  const focusable = rows.some((r) => r.id === page) ? page : rows[0]?.id;

  const moveTo = (id: PageId | undefined) => {
    if (!id) return;
    setPage(id);
    refs.current.get(id)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent, p: PageMeta) => {
    const i = rows.findIndex((r) => r.id === p.id);
    const open = isOpen(p.id);
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    switch (e.key) {
      case 'ArrowDown':
        handled();
        return moveTo(rows[i + 1]?.id);
      case 'ArrowUp':
        handled();
        return moveTo(rows[i - 1]?.id);
      case 'Home':
        handled();
        return moveTo(rows[0]?.id);
      case 'End':
        handled();
        return moveTo(rows[rows.length - 1]?.id);
      case 'ArrowRight':
        handled();
        if (!hasChildren(p.id)) return;
        if (!open) return setExpanded(p.id, true);
        return moveTo(rows[i + 1]?.id);
      case 'ArrowLeft':
        handled();
        if (hasChildren(p.id) && open && !searching) return setExpanded(p.id, false);
        return moveTo(p.parent ?? undefined);
      case 'Enter':
      case ' ':
        handled();
        if (hasChildren(p.id)) setExpanded(p.id, !open);
        return setPage(p.id);
    }
    // Type-ahead: a letter moves to the next visible page whose title starts with it.
    if (e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const order = [...rows.slice(i + 1), ...rows.slice(0, i + 1)];
      const next = order.find((r) => r.title.toLowerCase().startsWith(e.key.toLowerCase()));
      if (next) {
        handled();
        moveTo(next.id);
      }
    }
  };

  const renderLevel = (parent: PageId | null) => {
    const items = rows.filter((r) => r.parent === parent);
    return items.map((p) => {
      const kids = hasChildren(p.id) && rows.some((r) => r.parent === p.id);
      return (
        <li
          key={p.id}
          ref={(el) => {
            if (el) refs.current.set(p.id, el);
            else refs.current.delete(p.id);
          }}
          role="treeitem"
          aria-label={p.title}
          aria-level={level(p)}
          aria-selected={p.id === page}
          aria-expanded={hasChildren(p.id) ? isOpen(p.id) : undefined}
          tabIndex={p.id === focusable ? 0 : -1}
          onKeyDown={(e) => onKeyDown(e, p)}
        >
          {/* The row, not the item, takes clicks: an item's box also holds its children. */}
          <div
            className="tree-row"
            onClick={() => {
              setPage(p.id);
              refs.current.get(p.id)?.focus();
            }}
          >
            <span
              className={`twisty${hasChildren(p.id) ? '' : ' leaf'}`}
              aria-hidden="true"
              onClick={(e) => {
                e.stopPropagation();
                if (hasChildren(p.id)) setExpanded(p.id, !isOpen(p.id));
              }}
            >
              {hasChildren(p.id) ? (isOpen(p.id) ? '▾' : '▸') : ''}
            </span>
            <span className="tree-label">{p.title}</span>
          </div>
          {kids && isOpen(p.id) && <ul role="group">{renderLevel(p.id)}</ul>}
        </li>
      );
    });
  };

  return (
    <ul role="tree" aria-label="Settings" className="tree">
      {renderLevel(null)}
    </ul>
  );
}
