// The message pipeline: scan → decide per settings → clean/tag → quarantine → detections log → event.
// STUB: passes messages through unscanned; the scanner/actions work (issue 2) replaces it.
import type { Settings } from '../../shared/settings/index.ts';
import type { DetectionsLog } from '../detections/log.ts';
import type { DetectionRecord } from '../events.ts';
import type { Logger } from '../log.ts';
import type { Quarantine } from '../quarantine/store.ts';
import type { ScanBackend } from '../scanner/types.ts';
import type { ProcessMessage } from './types.ts';

export interface PipelineDeps {
  settings: () => Settings;
  backends: ScanBackend[];
  quarantine: Quarantine;
  detections: DetectionsLog;
  log: Logger;
  onDetection: (record: DetectionRecord) => void;
}

export function createPipeline(_deps: PipelineDeps): ProcessMessage {
  return async (raw) => ({
    output: raw,
    modified: false,
    detectionIds: [],
    scan: { verdict: 'clean', parts: [], threats: [], unscannable: [], bytes: raw.length, durationMs: 0 },
  });
}
