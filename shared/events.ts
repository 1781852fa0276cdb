// Events the engine raises for hosts (desktop notifications, console UI, logs). Shared: the UI receives them too.
import type { Settings } from './settings/index.ts';

export interface DetectionRecord {
  id: string;
  time: string;
  threat: string;
  /** All detection names in the message when there were several. */
  threats: string[];
  heuristic: boolean;
  from?: string;
  subject?: string;
  protocol: string;
  server: string;
  user?: string;
  /** What was done: `removed` (part replaced by a notice), `tagged`, `none`. */
  action: 'removed' | 'tagged' | 'none';
  /** Parts affected: part number and file name. */
  parts: { part: string; filename?: string; threat: string }[];
  /** Quarantine item holding the original message, if one was kept. */
  quarantineId?: string;
  sha256: string;
  size: number;
}

export interface ProtectionStatus {
  enabled: boolean;
  paused: boolean;
  /** When a timed pause ends (ISO), null for "until restart/resumed". */
  pausedUntil: string | null;
  /** Why protection is off or degraded, in words for the user; null when protected. */
  reason: string | null;
}

export interface EngineStats {
  since: string;
  scanned: number;
  detected: number;
  cleaned: number;
  unscannable: number;
}

export interface CertificateQuestion {
  id: string;
  server: string;
  /** The name the certificate was checked for (a certificate rule's host). */
  host: string;
  reason: string;
  fingerprint: string;
  kind: 'unverified' | 'invalid';
  /** When asked (ISO). */
  time?: string;
  /** pending: a connection waits for the answer; blocked/allowed: decided (headless questions are blocked). */
  state?: 'pending' | 'blocked' | 'allowed';
}

export interface EngineEvents {
  detection: [DetectionRecord];
  settings: [Settings];
  status: [ProtectionStatus];
  stats: [EngineStats];
  warning: [string];
  certificateQuestion: [CertificateQuestion];
}
