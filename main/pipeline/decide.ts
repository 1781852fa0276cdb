// What to do with a scanned message, from the settings alone: which parts to replace by a notice,
// which tags to add. No bytes are touched here (main/pipeline/rewrite.ts does that).
import type { Settings } from '../../shared/settings/index.ts';
import type { MessageScan, UnitResult } from '../scanner/scan-message.ts';

export interface Removal {
  unit: UnitResult;
  why: 'infected' | 'unscannable';
}

export interface Plan {
  removals: Removal[];
  /** What happened to the detections: parts removed, only tagged, or nothing detected. */
  action: 'removed' | 'tagged' | 'none';
  /** Value of the X-Mailward-Scan header, or null to leave the headers alone. */
  scanHeader: string | null;
  /** Text appended to the subject, or null. */
  subjectTag: string | null;
  /** The visible tag note (a last text part, a footer, or inside the notice), or null. */
  note: string | null;
}

/** A header parameter value: one line, ASCII (file names come from the sender), at most 300 characters. */
const quote = (s: string) => {
  const clean = s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return `"${(clean.length > 300 ? clean.slice(0, 297) + '...' : clean).replace(/["\\]/g, '\\$&')}"`;
};

export function decide(scan: MessageScan, settings: Settings): Plan {
  const email = settings.webAndEmail.emailClientProtection;
  const { threats, unscannable, verdict } = scan.result;
  const removals: Removal[] = [];
  for (const unit of scan.units) {
    if (unit.threats.length > 0) {
      const signature = unit.threats.some((t) => !t.heuristic);
      const remove =
        email.actionOnInfected === 'removePart' && (signature || email.heuristics === 'asInfected');
      if (remove) removals.push({ unit, why: 'infected' });
    } else if (unit.unscannable.length > 0 && settings.scanner.onUnscannable === 'removePart') {
      removals.push({ unit, why: 'unscannable' });
    }
  }
  const removedThreat = removals.some((r) => r.why === 'infected');
  // Any removed threat makes it `removed`; threats left in place only by the settings make it `tagged`.
  const action = threats.length === 0 ? 'none' : removedThreat ? 'removed' : 'tagged';

  let scanHeader: string | null = null;
  if (verdict === 'infected') {
    scanHeader = `infected; threats=${quote(threats.join(', '))}; action=${action}`;
    if (unscannable.length > 0) scanHeader += `; unscannable=${quote(unscannable[0])}`;
  } else if (verdict === 'unscannable') {
    const done = removals.length > 0 ? 'removed' : 'delivered';
    scanHeader = `unscannable; reason=${quote(unscannable[0])}; action=${done}`;
  } else if (email.alerts.tagMessages === 'all') scanHeader = 'clean';

  const subjectTag =
    verdict === 'infected' && email.alerts.subjectTag
      ? email.alerts.subjectTemplate.replace(/%DETECTIONNAME%|%VIRUSNAME%/g, threats.join(', '))
      : null;

  const wantsNote =
    email.alerts.tagMessages === 'all' || (email.alerts.tagMessages === 'infected' && verdict !== 'clean');
  return {
    removals,
    action,
    scanHeader,
    subjectTag,
    note: wantsNote ? noteText(scan, action, removals) : null,
  };
}

function noteText(scan: MessageScan, action: Plan['action'], removals: Removal[]): string {
  const { threats, unscannable, verdict } = scan.result;
  if (verdict === 'clean') return 'Mailward checked this message: no threats were found.';
  const lines: string[] = [];
  if (threats.length > 0) {
    lines.push(
      action === 'removed'
        ? `Mailward found ${threats.join(', ')} in this message and removed the infected parts; the original is kept in quarantine.`
        : `Mailward found ${threats.join(', ')} in this message. The settings say to tag it only: handle its attachments with care.`,
    );
  }
  if (unscannable.length > 0) {
    const removed = removals.some((r) => r.why === 'unscannable');
    lines.push(
      `Mailward could not scan all of this message (${unscannable.join('; ')}).` +
        (removed
          ? ' The parts it could not scan were removed; the original is kept in quarantine.'
          : ' Be careful with its attachments.'),
    );
  }
  return lines.join('\r\n');
}
