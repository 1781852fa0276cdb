// The scanner's limits in one place (values come from settings.scanner.limits; see shared/settings/schema.ts).
import type { ScanLimits } from './types.ts';

/**
 * Members smaller than this are never called bombs by ratio alone: small, highly compressible files
 * (blank forms, logs) routinely compress more than 100:1, and a bomb needs size to hurt.
 */
export const RATIO_FLOOR = 1024 * 1024;

const MiB = 1024 * 1024;
const fmt = (n: number) => (n >= MiB ? `${Math.round((n / MiB) * 10) / 10} MiB` : `${n} bytes`);

/** Sentences for unscannable verdicts: what limit was hit and which setting raises it. */
export const limitReason = {
  messageSize: (size: number, l: ScanLimits) =>
    `message of ${fmt(size)} is larger than scanner.limits.maxMessageSize (${fmt(l.maxMessageSize)})`,
  depth: (path: string, l: ScanLimits) =>
    `${path}: nested deeper than scanner.limits.archiveDepth (${l.archiveDepth})`,
  ratio: (path: string, ratio: number, l: ScanLimits) =>
    `${path}: expands ${ratio}x (limit scanner.limits.archiveExpansionRatio ${l.archiveExpansionRatio}x), possible zip bomb`,
  lyingRatio: (path: string, declared: number, l: ScanLimits) =>
    `${path}: expands more than ${l.archiveExpansionRatio}x although it declares ${fmt(declared)} (limit scanner.limits.archiveExpansionRatio), possible zip bomb`,
  total: (path: string, l: ScanLimits) =>
    `${path}: archives expand beyond scanner.limits.archiveTotalSize (${fmt(l.archiveTotalSize)}), possible zip bomb`,
  time: (l: ScanLimits) => `scan time limit scanner.limits.maxScanTimeMs (${l.maxScanTimeMs} ms) reached`,
};

/** Bytes a member may inflate to: its ratio allowance, never more than what is left of the total. */
export function memberCap(compressedSize: number, expandedSoFar: number, l: ScanLimits): number {
  const byRatio = Math.max(RATIO_FLOOR, compressedSize * l.archiveExpansionRatio);
  return Math.max(0, Math.min(byRatio, l.archiveTotalSize - expandedSoFar));
}
