// The engine: settings, scanner pipeline, detections, quarantine, protection state and events.
// Hosts (the headless service, the desktop shell) create one and put proxies and UIs around it.
// Plain Node: nothing here imports electron.
import { EventEmitter } from 'node:events';
import type { Settings } from '../shared/settings/index.ts';
import { ensureDataDir } from './data-dir.ts';
import { DetectionsLog } from './detections/log.ts';
import type { DetectionRecord, EngineEvents, EngineStats, ProtectionStatus } from './events.ts';
import { createLogger, type Logger } from './log.ts';
import { createPipeline } from './pipeline/pipeline.ts';
import type { MailProtocolName, MessageContext, ProcessedMessage, ProcessMessage } from './pipeline/types.ts';
import { Quarantine } from './quarantine/store.ts';
import { defaultBackends } from './scanner/backends.ts';
import type { ScanBackend } from './scanner/types.ts';
import { SettingsStore, type SettingsBackingFactory } from './settings/store.ts';

export interface EngineOptions {
  dataDir?: string;
  log?: Logger;
  /** Write readable log lines to stderr (the service does). */
  logToStderr?: boolean;
  /** The settings file's library: electron-store in the desktop host; `conf` (the default) elsewhere. */
  settingsBacking?: SettingsBackingFactory;
  /** Replace the scan backends (tests). */
  backends?: ScanBackend[];
}

export class Engine extends EventEmitter<EngineEvents> {
  readonly dataDir: string;
  readonly log: Logger;
  readonly settings: SettingsStore;
  readonly detections: DetectionsLog;
  readonly quarantine: Quarantine;
  private readonly pipeline: ProcessMessage;
  private pausedUntil: number | null = null;
  private pausedIndefinitely = false;
  private pauseTimer?: NodeJS.Timeout;
  private readonly stats: EngineStats = {
    since: new Date().toISOString(),
    scanned: 0,
    detected: 0,
    cleaned: 0,
    unscannable: 0,
  };

  constructor(opts: EngineOptions = {}) {
    super();
    this.dataDir = ensureDataDir(opts.dataDir);
    this.log = opts.log ?? createLogger({ dataDir: this.dataDir, stderr: opts.logToStderr });
    this.settings = new SettingsStore(this.dataDir, this.log, opts.settingsBacking);
    for (const w of this.settings.warnings) setImmediate(() => this.emit('warning', w));
    this.settings.on('change', (s) => {
      this.emit('settings', s);
      this.emit('status', this.status());
    });
    this.detections = new DetectionsLog(this.dataDir);
    this.quarantine = new Quarantine(this.dataDir);
    this.pipeline = createPipeline({
      settings: () => this.settings.get(),
      backends:
        opts.backends ??
        defaultBackends(this.dataDir, (w) => this.log.warn({ problem: w }, 'signature file problem')),
      quarantine: this.quarantine,
      detections: this.detections,
      log: this.log,
      onDetection: (record) => this.emit('detection', record),
    });
  }

  currentSettings(): Settings {
    return this.settings.get();
  }

  /** Scan and clean one message; counts it in the stats. */
  async processMessage(raw: Buffer, ctx: MessageContext, signal?: AbortSignal): Promise<ProcessedMessage> {
    const result = await this.pipeline(raw, ctx, signal);
    this.stats.scanned++;
    if (result.scan.verdict === 'infected') this.stats.detected++;
    if (result.scan.verdict === 'unscannable') this.stats.unscannable++;
    if (result.modified && result.scan.verdict === 'infected') this.stats.cleaned++;
    this.emit('stats', this.getStats());
    return result;
  }

  getStats(): EngineStats {
    return { ...this.stats };
  }

  listDetections(): DetectionRecord[] {
    return this.detections.list();
  }

  /** Whether traffic of this protocol is scanned now (master toggle, protocol toggle, pause). */
  isFiltering(protocol: MailProtocolName): boolean {
    const s = this.settings.get();
    const email = s.webAndEmail.emailClientProtection.emailProtocols;
    return (
      !this.isPaused() && s.webAndEmail.protocolFiltering.enabled && email.enabled && email[protocol].enabled
    );
  }

  /** Pause protection for `ms` milliseconds, or until resumed/restarted when `ms` is null. */
  pause(ms: number | null): void {
    clearTimeout(this.pauseTimer);
    if (ms === null) {
      this.pausedIndefinitely = true;
      this.pausedUntil = null;
    } else {
      this.pausedIndefinitely = false;
      this.pausedUntil = Date.now() + ms;
      this.pauseTimer = setTimeout(() => this.resume(), ms);
      this.pauseTimer.unref();
    }
    this.log.warn(
      { until: this.pausedUntil ? new Date(this.pausedUntil).toISOString() : 'resumed' },
      'protection paused',
    );
    this.emit('status', this.status());
  }

  resume(): void {
    clearTimeout(this.pauseTimer);
    const was = this.isPaused();
    this.pausedIndefinitely = false;
    this.pausedUntil = null;
    if (was) this.log.info('protection resumed');
    this.emit('status', this.status());
  }

  isPaused(): boolean {
    return this.pausedIndefinitely || (this.pausedUntil !== null && Date.now() < this.pausedUntil);
  }

  status(): ProtectionStatus {
    const s = this.settings.get();
    const paused = this.isPaused();
    const email = s.webAndEmail.emailClientProtection.emailProtocols;
    let reason: string | null = null;
    if (paused)
      reason = this.pausedUntil
        ? `Protection is paused until ${new Date(this.pausedUntil).toLocaleTimeString()}`
        : 'Protection is paused';
    else if (!s.webAndEmail.protocolFiltering.enabled) reason = 'Protocol filtering is turned off';
    else if (!email.enabled) reason = 'Email protection by protocol filtering is turned off';
    return {
      enabled: reason === null,
      paused,
      pausedUntil: this.pausedUntil ? new Date(this.pausedUntil).toISOString() : null,
      reason,
    };
  }

  close(): void {
    clearTimeout(this.pauseTimer);
    this.settings.close();
  }
}
