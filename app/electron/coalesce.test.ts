import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DetectionCoalescer, noticeText, type Notice } from './coalesce.ts';
import { detection } from './test/detections.ts';

describe('detection coalescing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('one detection becomes one notice naming the threat, sender and subject', () => {
    const shown: Notice[] = [];
    const c = new DetectionCoalescer((n) => shown.push(n), 1000);
    c.push(detection(1));
    vi.advanceTimersByTime(1000);
    expect(shown).toHaveLength(1);
    expect(noticeText(shown[0])).toEqual({
      title: 'Threat removed: Eicar-Test-Signature',
      body: 'From: Alice <alice@example.org>\nSubject: Invoice 1',
    });
  });

  it('ten detections within a second become one "10 threats removed"', () => {
    const shown: Notice[] = [];
    const c = new DetectionCoalescer((n) => shown.push(n), 1000);
    for (let i = 0; i < 10; i++) {
      c.push(detection(i));
      vi.advanceTimersByTime(90);
    }
    vi.advanceTimersByTime(1000);
    expect(shown).toHaveLength(1);
    expect(noticeText(shown[0]).title).toBe('10 threats removed');
    expect(noticeText(shown[0]).body).toBe('Eicar-Test-Signature');
  });

  it('detections a few seconds apart each get their own notice', () => {
    const shown: Notice[] = [];
    const c = new DetectionCoalescer((n) => shown.push(n), 1000);
    c.push(detection(1));
    vi.advanceTimersByTime(3000);
    c.push(detection(2));
    vi.advanceTimersByTime(3000);
    expect(shown.map((n) => n.kind)).toEqual(['single', 'single']);
  });

  it('a message that was only tagged is not announced as removed', () => {
    const text = noticeText({
      kind: 'single',
      detection: detection(1, { action: 'tagged', from: undefined }),
    });
    expect(text.title).toBe('Threat found: Eicar-Test-Signature');
    expect(text.body).toContain('From: unknown sender');
  });

  it('a burst of different threats lists a few names', () => {
    const ds = ['A', 'B', 'C', 'D', 'E'].map((t, i) => detection(i, { threat: t }));
    expect(noticeText({ kind: 'burst', detections: ds }).body).toBe('A, B, C and 2 more');
  });
});
