// A detection record as the engine emits it, for notification and IPC tests.
import type { DetectionRecord } from '../../../shared/events.ts';

export function detection(n: number, over: Partial<DetectionRecord> = {}): DetectionRecord {
  return {
    id: `d${n}`,
    time: new Date(0).toISOString(),
    threat: 'Eicar-Test-Signature',
    threats: ['Eicar-Test-Signature'],
    heuristic: false,
    from: 'Alice <alice@example.org>',
    subject: `Invoice ${n}`,
    protocol: 'imap',
    server: 'mail.example.org',
    action: 'removed',
    parts: [{ part: '2', filename: 'eicar.com', threat: 'Eicar-Test-Signature' }],
    sha256: 'ab'.repeat(32),
    size: 100,
    ...over,
  };
}
