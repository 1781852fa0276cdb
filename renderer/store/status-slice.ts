// Protection status and the counters shown on the status page.
import type { MailwardApi } from '../../shared/api.ts';
import type { EngineStats, ProtectionStatus } from '../../shared/events.ts';
import type { Slice } from './settings-slice.ts';

export interface StatusSlice {
  status: ProtectionStatus | null;
  stats: EngineStats | null;
  loadStatus(): Promise<void>;
  /** Pause for `minutes`, or until resumed/restarted when null. */
  pause(minutes: number | null): Promise<void>;
  resume(): Promise<void>;
  receiveStatus(status: ProtectionStatus): void;
  receiveStats(stats: EngineStats): void;
}

export const createStatusSlice =
  (api: MailwardApi): Slice<StatusSlice> =>
  (set) => ({
    status: null,
    stats: null,
    async loadStatus() {
      const [status, stats] = await Promise.all([api.getStatus(), api.getStats()]);
      set({ status, stats });
    },
    async pause(minutes) {
      set({ status: await api.pause(minutes) });
    },
    async resume() {
      set({ status: await api.resume() });
    },
    receiveStatus: (status) => set({ status }),
    receiveStats: (stats) => set({ stats }),
  });
