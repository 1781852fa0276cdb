// An in-memory MailwardApi for component and store tests: settings validated with the real schema,
// calls recorded, events pushed by the test.
import type { ApiEvent, MailwardApi } from '../../shared/api.ts';
import type { CertificateQuestion, DetectionRecord } from '../../shared/events.ts';
import { defaultSettings, validateSettings, type Settings } from '../../shared/settings/index.ts';

export interface FakeApi extends MailwardApi {
  settings: Settings;
  setCalls: unknown[];
  detections: DetectionRecord[];
  questions: CertificateQuestion[];
  answers: [string, boolean, boolean][];
  emit(event: ApiEvent): void;
  /** Make the next setSettings call fail as a lost connection would. */
  failNextSet: boolean;
}

export function createFakeApi(initial: Settings = defaultSettings()): FakeApi {
  const listeners = new Set<(e: ApiEvent) => void>();
  const status = { enabled: true, paused: false, pausedUntil: null, reason: null };
  const api: FakeApi = {
    settings: initial,
    setCalls: [],
    detections: [],
    questions: [],
    answers: [],
    failNextSet: false,
    emit: (e) => listeners.forEach((l) => l(e)),
    getSettings: async () => api.settings,
    async setSettings(next) {
      api.setCalls.push(next);
      if (api.failNextSet) {
        api.failNextSet = false;
        throw new Error('connection lost');
      }
      const r = validateSettings(next);
      if (r.ok) api.settings = r.settings;
      return r;
    },
    getStatus: async () => status,
    pause: async () => ({ ...status, enabled: false, paused: true, reason: 'Protection is paused' }),
    resume: async () => status,
    listDetections: async () => api.detections,
    getQuarantinedOriginal: async () => ({ filename: 'x.eml', base64: '' }),
    exportCa: async () => ({ pem: 'PEM', fingerprint: 'AA:BB', subject: 'CN=Mailward' }),
    getStats: async () => ({
      since: new Date(0).toISOString(),
      scanned: 0,
      detected: 0,
      cleaned: 0,
      unscannable: 0,
    }),
    listCertificateQuestions: async () => api.questions,
    async answerCertificateQuestion(id, allow, remember) {
      api.answers.push([id, allow, remember]);
      return { ok: true };
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return api;
}
