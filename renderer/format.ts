// Small display helpers shared by the pages.
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export const ACTION_LABELS: Record<string, string> = {
  removed: 'Infected part removed',
  tagged: 'Marked only',
  none: 'No action',
};

/** DOM id for a settings key. */
export const fieldId = (key: string) => `f-${key.replace(/\./g, '-')}`;
