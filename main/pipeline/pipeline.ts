// The message pipeline: scan → decide per settings → clean/tag → quarantine → detections log → event.
// Mail is never lost: a scanner failure delivers the message tagged unscannable, and a failure while
// rewriting an infected message delivers a notice in its place (the original is in quarantine).
import { createHash, randomUUID } from 'node:crypto';
import type { Settings } from '../../shared/settings/index.ts';
import type { DetectionsLog } from '../detections/log.ts';
import type { DetectionRecord } from '../events.ts';
import type { Logger } from '../log.ts';
import type { Quarantine } from '../quarantine/store.ts';
import { decodeWords } from '../scanner/mime/headers.ts';
import { parseMessage } from '../scanner/mime/tree.ts';
import { scanMessage, type MessageScan } from '../scanner/scan-message.ts';
import type { ScanBackend } from '../scanner/types.ts';
import { decide, type Plan } from './decide.ts';
import { fieldValue } from './header-edit.ts';
import { replaceWholeMessage } from './fallback.ts';
import { rewrite, type Rewritten } from './rewrite.ts';
import type { MessageContext, ProcessMessage } from './types.ts';

export interface PipelineDeps {
  settings: () => Settings;
  backends: ScanBackend[];
  quarantine: Quarantine;
  detections: DetectionsLog;
  log: Logger;
  onDetection: (record: DetectionRecord) => void;
}

export function createPipeline(deps: PipelineDeps): ProcessMessage {
  return async (raw, ctx, signal) => {
    const settings = deps.settings();
    const scan = await scanSafely(raw, settings, deps, signal);
    const plan = decide(scan, settings);
    const { result } = scan;
    if (result.verdict === 'unscannable')
      deps.log.warn(
        { server: ctx.server, reasons: result.unscannable },
        'message could not be fully scanned',
      );
    const untouched = !plan.scanHeader && !plan.note && !plan.subjectTag && plan.removals.length === 0;
    if (untouched)
      return { output: raw, modified: false, scan: result, detectionIds: [], sizePreserved: true };

    // Sender, subject and hash are only for the quarantine and detection records: a message that is
    // only tagged (every clean one with tagMessages "all") does not pay for hashing all of its bytes.
    let facts: OriginalFacts | undefined;
    const original = () => (facts ??= describeOriginal(raw, scan));
    const removedParts = plan.removals.map(({ unit, why }) => ({
      part: unit.node.part,
      filename: unit.node.headers.filename,
      threat: why === 'infected' ? unit.threats[0].threat : 'unscannable',
    }));
    let quarantineId: string | undefined;
    if (plan.removals.length > 0) {
      const { from, subject, sha256 } = original();
      quarantineId = await deps.quarantine.put(raw, {
        time: new Date().toISOString(),
        threats: result.threats,
        reason: result.threats.length > 0 ? 'infected' : 'unscannable',
        parts: removedParts,
        protocol: ctx.protocol,
        server: ctx.server,
        user: ctx.user,
        mailbox: ctx.mailbox,
        messageId: ctx.messageId,
        from,
        subject,
        sha256,
      });
    }

    const out = rewriteSafely(raw, scan, plan, ctx, deps.log);
    const detectionIds: string[] = [];
    if (result.threats.length > 0) {
      const { from, subject, sha256 } = original();
      const all = scan.units.flatMap((u) => u.threats);
      const record: DetectionRecord = {
        id: randomUUID(),
        time: new Date().toISOString(),
        threat: result.threats[0],
        threats: result.threats,
        heuristic: all.every((t) => t.heuristic),
        from,
        subject,
        protocol: ctx.protocol,
        server: ctx.server,
        user: ctx.user,
        action: plan.action,
        parts: scan.units.flatMap((u) =>
          u.threats.map((t) => ({
            part: u.node.part,
            filename: t.filename ?? u.node.headers.filename,
            threat: t.threat,
          })),
        ),
        quarantineId,
        sha256,
        size: raw.length,
      };
      await deps.detections.append(record);
      detectionIds.push(record.id);
      deps.log.warn(
        { threats: result.threats, action: plan.action, server: ctx.server, quarantineId },
        'threat detected in message',
      );
      deps.onDetection(record);
    }
    return {
      output: out.output,
      modified: true,
      scan: result,
      detectionIds,
      sizePreserved: out.sizePreserved,
      partSizesPreserved: out.partSizesPreserved,
      quarantineId,
    };
  };
}

async function scanSafely(
  raw: Buffer,
  settings: Settings,
  deps: PipelineDeps,
  signal?: AbortSignal,
): Promise<MessageScan> {
  try {
    return await scanMessage(raw, {
      backends: deps.backends,
      limits: settings.scanner.limits,
      signal,
      onBackendError: (backend, path, err) =>
        deps.log.error({ backend, path, err: (err as Error)?.message ?? String(err) }, 'scan backend failed'),
    });
  } catch (err) {
    // A bug in the walker must not lose or block mail: deliver it tagged as unscannable.
    deps.log.error(
      { err: (err as Error).message, stack: (err as Error).stack },
      'scanner failed on a message',
    );
    const reason = `internal scanner error: ${(err as Error).message}`;
    const root = parseMessage(raw);
    return {
      root,
      units: [],
      result: {
        verdict: 'unscannable',
        parts: [],
        threats: [],
        unscannable: [reason],
        bytes: raw.length,
        durationMs: 0,
      },
    };
  }
}

function rewriteSafely(
  raw: Buffer,
  scan: MessageScan,
  plan: Plan,
  ctx: MessageContext,
  log: Logger,
): Rewritten {
  try {
    return rewrite(raw, scan.root, plan, Boolean(ctx.preserveSize));
  } catch (err) {
    log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'could not rewrite message');
    // Never deliver what was to be removed: the whole message becomes a notice.
    if (plan.removals.length > 0)
      return {
        output: replaceWholeMessage(raw, scan, plan),
        sizePreserved: false,
        partSizesPreserved: false,
      };
    return { output: raw, sizePreserved: true, partSizesPreserved: true };
  }
}

interface OriginalFacts {
  from?: string;
  subject?: string;
  sha256: string;
}

function describeOriginal(raw: Buffer, scan: MessageScan): OriginalFacts {
  const headerBlock = raw.toString('latin1', scan.root.start, scan.root.headerEnd);
  return {
    from: decodedField(headerBlock, 'from'),
    subject: decodedField(headerBlock, 'subject'),
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

function decodedField(block: string, name: string): string | undefined {
  const v = fieldValue(block, name);
  return v === undefined ? undefined : decodeWords(Buffer.from(v, 'latin1').toString('utf8'));
}
