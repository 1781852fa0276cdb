// The detections log, newest first, and the one the user opened.
import type { MailwardApi, QuarantinedOriginal } from '../../shared/api.ts';
import type { DetectionRecord } from '../../shared/events.ts';
import type { Slice } from './settings-slice.ts';

export interface DetectionsSlice {
  detections: DetectionRecord[];
  /** The first load finished: a selected id not in the list now is unknown, not pending. */
  detectionsLoaded: boolean;
  selectedDetection: string | null;
  loadDetections(): Promise<void>;
  receiveDetection(d: DetectionRecord): void;
  selectDetection(id: string | null): void;
  /** The quarantined original, for the user to save; never re-delivers it. */
  fetchOriginal(id: string): Promise<QuarantinedOriginal>;
}

const newestFirst = (a: DetectionRecord, b: DetectionRecord) => b.time.localeCompare(a.time);

export const createDetectionsSlice =
  (api: MailwardApi): Slice<DetectionsSlice> =>
  (set, get) => ({
    detections: [],
    detectionsLoaded: false,
    selectedDetection: null,
    async loadDetections() {
      set({ detections: (await api.listDetections()).sort(newestFirst), detectionsLoaded: true });
    },
    receiveDetection(d) {
      if (get().detections.some((x) => x.id === d.id)) return;
      set({ detections: [d, ...get().detections].sort(newestFirst) });
    },
    selectDetection: (id) => set({ selectedDetection: id }),
    fetchOriginal: (id) => api.getQuarantinedOriginal(id),
  });
