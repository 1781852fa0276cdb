// The MailwardApi backed by a running engine. Both hosts use it: the headless console (HTTP + WebSocket)
// and the Electron shell (ipcMain). Inputs are parsed by dispatch.ts before they reach these methods.
import type { ApiEvent, CaInfo, MailwardApi, QuarantinedOriginal } from '../../shared/api.ts';
import type { Engine } from '../../main/engine.ts';
import type { CertificateQuestion } from '../../shared/events.ts';
import { ApiFailure } from './errors.ts';

export interface EngineApiExtras {
  /** The root CA (main/tls); hosts without TLS interception leave it out. */
  exportCa?: () => Promise<CaInfo>;
  /** The TLS layer's certificate questions (main/tls/questions.ts), while the service runs. */
  certificates?: () => CertificateQuestionsHost | null;
}

export interface CertificateQuestionsHost {
  list(): CertificateQuestion[];
  answer(id: string, allow: boolean, remember: boolean): boolean;
}

/** A file name a user recognises in their Downloads folder, with nothing a file system would refuse. */
function originalFilename(time: string, threat: string): string {
  const day = time.slice(0, 19).replace(/[:T]/g, '-');
  const name = threat.replace(/[^0-9A-Za-z._-]+/g, '_').slice(0, 60);
  return `mailward-${day}-${name}.eml`;
}

export function createEngineApi(engine: Engine, extras: EngineApiExtras = {}): MailwardApi {
  return {
    async getSettings() {
      return engine.currentSettings();
    },
    async setSettings(next) {
      // Validation happens in the store with the shared schema: invalid input changes nothing.
      return engine.settings.set(next);
    },
    async getStatus() {
      return engine.status();
    },
    async pause(minutes) {
      engine.pause(minutes === null ? null : minutes * 60_000);
      return engine.status();
    },
    async resume() {
      engine.resume();
      return engine.status();
    },
    async listDetections() {
      return engine.listDetections();
    },
    async getQuarantinedOriginal(detectionId): Promise<QuarantinedOriginal> {
      const record = engine.detections.get(detectionId);
      if (!record) throw new ApiFailure('not_found', `No detection ${detectionId}`);
      if (!record.quarantineId)
        throw new ApiFailure(
          'not_found',
          'No original was kept for this detection (the message was not altered)',
        );
      let raw: Buffer;
      try {
        raw = engine.quarantine.original(record.quarantineId);
      } catch {
        throw new ApiFailure('not_found', 'The original is no longer in quarantine');
      }
      return { filename: originalFilename(record.time, record.threat), base64: raw.toString('base64') };
    },
    async exportCa() {
      if (!extras.exportCa) throw new ApiFailure('not_found', 'This host has no root certificate to export');
      return extras.exportCa();
    },
    async getStats() {
      return engine.getStats();
    },
    async listCertificateQuestions() {
      return extras.certificates?.()?.list() ?? [];
    },
    async answerCertificateQuestion(id, allow, remember) {
      const questions = extras.certificates?.();
      if (!questions) throw new ApiFailure('not_found', 'The protection service is not running');
      if (!questions.answer(id, allow, remember))
        throw new ApiFailure('not_found', 'That certificate question is no longer listed');
      return { ok: true };
    },
    onEvent(listener) {
      const on = {
        detection: (detection) => listener({ type: 'detection', detection }),
        settings: (settings) => listener({ type: 'settings', settings }),
        status: (status) => listener({ type: 'status', status }),
        stats: (stats) => listener({ type: 'stats', stats }),
        warning: (message) => listener({ type: 'warning', message }),
        certificateQuestion: (question) => listener({ type: 'certificateQuestion', question }),
      } satisfies { [K in ApiEvent['type']]: (...args: any[]) => void };
      for (const [name, fn] of Object.entries(on)) engine.on(name as keyof typeof on, fn as any);
      return () => {
        for (const [name, fn] of Object.entries(on)) engine.off(name as keyof typeof on, fn as any);
      };
    },
  };
}
