// Lists typed as text (ESET's "enter multiple values"): one splitter for every list setting, so items
// are trimmed and empty ones dropped the same way everywhere.

/** Newline, comma or semicolon: what list settings accept between items. */
export const LIST_SEPARATORS = /[\n,;]/;

/** The non-empty, trimmed items of `text` split at `separators`. */
export function splitList(text: string, separators: RegExp = LIST_SEPARATORS): string[] {
  return text
    .split(separators)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
