// Native notifications for detections: one per detection, a burst coalesced into one, nothing when the
// user turned them off (notifications.enabled). A click opens the detection (or the log for a burst).
import { Notification } from 'electron';
import type { DetectionRecord } from '../../shared/events.ts';
import type { Settings } from '../../shared/settings/index.ts';
import { DetectionCoalescer, noticeText, type Notice } from './coalesce.ts';

export interface DetectionSource {
  on(event: 'detection', listener: (d: DetectionRecord) => void): unknown;
  off(event: 'detection', listener: (d: DetectionRecord) => void): unknown;
  currentSettings(): Settings;
}

export interface NotificationTargets {
  /** Show one detection's detail in the window. */
  showDetection(id: string): void;
  /** Show the detections log (for a coalesced burst). */
  showDetections(): void;
  icon?: string;
  onError?: (err: Error) => void;
}

export class DetectionNotifier {
  private readonly coalescer: DetectionCoalescer;
  // Electron drops a Notification's click handler once the object is collected: keep the shown ones.
  private readonly shown = new Set<Notification>();
  private readonly onDetection = (d: DetectionRecord) => {
    if (this.source.currentSettings().notifications.enabled) this.coalescer.push(d);
  };

  constructor(
    private readonly source: DetectionSource,
    private readonly targets: NotificationTargets,
    windowMs?: number,
  ) {
    this.coalescer = new DetectionCoalescer((n) => this.present(n), windowMs);
    source.on('detection', this.onDetection);
  }

  close(): void {
    this.source.off('detection', this.onDetection);
    this.coalescer.discard();
    for (const n of this.shown) n.close();
    this.shown.clear();
  }

  private present(notice: Notice): void {
    try {
      this.notify(notice);
    } catch (err) {
      // A notification daemon that is missing or broken must not take the app down.
      this.targets.onError?.(err as Error);
    }
  }

  private notify(notice: Notice): void {
    if (!Notification.isSupported()) return;
    const { title, body } = noticeText(notice);
    const n = new Notification({ title, body, icon: this.targets.icon });
    n.on('click', () => {
      if (notice.kind === 'single') this.targets.showDetection(notice.detection.id);
      else this.targets.showDetections();
    });
    n.on('close', () => this.shown.delete(n));
    this.shown.add(n);
    n.show();
  }
}
