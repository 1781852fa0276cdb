// Detection notifications, coalesced: a burst (ten detections within a second) becomes one
// "10 threats removed" instead of ten popups. The first detection opens a window; everything
// arriving inside it joins the same notice.
import type { DetectionRecord } from '../../shared/events.ts';

export type Notice =
  { kind: 'single'; detection: DetectionRecord } | { kind: 'burst'; detections: DetectionRecord[] };

export interface NoticeText {
  title: string;
  body: string;
}

/** How long detections are gathered before one notice is shown. */
export const COALESCE_WINDOW_MS = 1000;

export class DetectionCoalescer {
  private pending: DetectionRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly show: (notice: Notice) => void,
    private readonly windowMs = COALESCE_WINDOW_MS,
  ) {}

  push(detection: DetectionRecord): void {
    this.pending.push(detection);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Show what is pending now (also called on shutdown so nothing is silently dropped). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) this.show({ kind: 'single', detection: batch[0] });
    else if (batch.length > 1) this.show({ kind: 'burst', detections: batch });
  }

  /** Drop what is pending (notifications turned off, or the app is quitting without a UI). */
  discard(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}

function verb(d: DetectionRecord): string {
  return d.action === 'removed' ? 'removed' : 'found';
}

export function noticeText(notice: Notice): NoticeText {
  if (notice.kind === 'single') {
    const d = notice.detection;
    const lines = [`From: ${d.from ?? 'unknown sender'}`, `Subject: ${d.subject ?? '(no subject)'}`];
    return { title: `Threat ${verb(d)}: ${d.threat}`, body: lines.join('\n') };
  }
  const n = notice.detections.length;
  const allRemoved = notice.detections.every((d) => d.action === 'removed');
  const names = [...new Set(notice.detections.map((d) => d.threat))];
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return { title: `${n} threats ${allRemoved ? 'removed' : 'found'}`, body: shown };
}
