// The one typed API between the settings UI and the engine. In Electron it comes from the preload
// (contextBridge, IPC); headless, from the console's HTTP + WebSocket bridge. The renderer talks only to this.
import { z } from 'zod';
import type { CertificateQuestion, DetectionRecord, EngineStats, ProtectionStatus } from './events.ts';
import type { FieldError, SetResult, Settings } from './settings/index.ts';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export interface ApiError {
  code: 'invalid_input' | 'not_found' | 'forbidden' | 'internal';
  message: string;
  fields?: FieldError[];
}

/** What validating a whole settings object gives (shared/settings/text-values.ts). */
export type SetSettingsResult = SetResult;

export interface CaInfo {
  pem: string;
  /** SHA-256 of the DER, colon-separated upper-case hex. */
  fingerprint: string;
  subject: string;
}

export interface QuarantinedOriginal {
  filename: string;
  /** The original .eml, base64. */
  base64: string;
}

export type ApiEvent =
  | { type: 'detection'; detection: DetectionRecord }
  | { type: 'settings'; settings: Settings }
  | { type: 'status'; status: ProtectionStatus }
  | { type: 'stats'; stats: EngineStats }
  | { type: 'warning'; message: string }
  | { type: 'certificateQuestion'; question: CertificateQuestion };

export interface MailwardApi {
  getSettings(): Promise<Settings>;
  /** Validates with the shared schema; returns field errors, never throws for invalid input. */
  setSettings(next: unknown): Promise<SetSettingsResult>;
  getStatus(): Promise<ProtectionStatus>;
  /** Pause for `minutes`, or until resumed/restarted when null. */
  pause(minutes: number | null): Promise<ProtectionStatus>;
  resume(): Promise<ProtectionStatus>;
  listDetections(): Promise<DetectionRecord[]>;
  /** The original of a quarantined message, for the user to save; never re-delivers it. */
  getQuarantinedOriginal(detectionId: string): Promise<QuarantinedOriginal>;
  exportCa(): Promise<CaInfo>;
  getStats(): Promise<EngineStats>;
  /** Recent certificate questions (waiting, or already blocked when nobody could answer), most recent first. */
  listCertificateQuestions(): Promise<CertificateQuestion[]>;
  /**
   * Answer a question: a waiting connection gets the answer; `remember` keeps it as a certificate rule,
   * so for a question already blocked, allow + remember lets the next connection through.
   */
  answerCertificateQuestion(id: string, allow: boolean, remember: boolean): Promise<{ ok: boolean }>;
  /** Subscribe to engine events; returns an unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** IPC channel names (Electron) and HTTP method names (console) — one list. */
export const API_METHODS = [
  'getSettings',
  'setSettings',
  'getStatus',
  'pause',
  'resume',
  'listDetections',
  'getQuarantinedOriginal',
  'exportCa',
  'getStats',
  'listCertificateQuestions',
  'answerCertificateQuestion',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];
export const IPC_PREFIX = 'mailward:';
export const IPC_EVENT_CHANNEL = 'mailward:event';
export const ipcChannel = (method: ApiMethod) => `${IPC_PREFIX}${method}`;

/** Argument schemas: every payload crossing IPC or HTTP is parsed with these before the engine sees it. */
export const API_ARGS = {
  getSettings: z.tuple([]),
  setSettings: z.tuple([z.unknown()]),
  getStatus: z.tuple([]),
  pause: z.tuple([
    z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .nullable(),
  ]),
  resume: z.tuple([]),
  listDetections: z.tuple([]),
  getQuarantinedOriginal: z.tuple([z.string().regex(/^[0-9a-zA-Z-]{1,64}$/)]),
  exportCa: z.tuple([]),
  getStats: z.tuple([]),
  listCertificateQuestions: z.tuple([]),
  answerCertificateQuestion: z.tuple([z.string().regex(/^[0-9a-zA-Z-]{1,64}$/), z.boolean(), z.boolean()]),
} satisfies Record<ApiMethod, z.ZodType>;
