import { describe, expect, it } from 'vitest';
import type { CertificateQuestion } from '../../shared/events.ts';
import type { CertificateRule } from '../../shared/settings/index.ts';
import { CertificateQuestions, RECENT_QUESTIONS } from './questions.ts';

const FP = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
const q = {
  server: 'pop3s://mail.example.com:995',
  host: 'mail.example.com',
  reason: 'self-signed',
  fingerprint: FP,
  kind: 'unverified' as const,
};

function setup(interactive: boolean) {
  const raised: CertificateQuestion[] = [];
  const rules: CertificateRule[] = [];
  const qs = new CertificateQuestions(
    (x) => raised.push(x),
    (r) => rules.push(r),
  );
  qs.interactive = interactive;
  return { qs, raised, rules };
}

describe('certificate questions', () => {
  it('headless: raises the event, blocks, and lists the question as blocked', async () => {
    const { qs, raised } = setup(false);
    expect(await qs.ask(q)).toBe('block');
    expect(raised[0]).toMatchObject(q);
    expect(qs.list()).toMatchObject([{ ...q, id: raised[0].id, state: 'blocked' }]);
  });

  it('headless: allow + remember on a blocked question saves an allow rule', async () => {
    const { qs, raised, rules } = setup(false);
    await qs.ask(q);
    expect(qs.answer(raised[0].id, true, true)).toBe(true);
    expect(rules).toMatchObject([{ host: 'mail.example.com', fingerprint: FP, access: 'allow' }]);
    expect(qs.list()[0].state).toBe('allowed');
    expect(qs.answer('no-such-id', true, true)).toBe(false);
  });

  it('desktop: waits for the answer; remember saves a rule, not remember saves nothing', async () => {
    const { qs, raised, rules } = setup(true);
    const first = qs.ask(q);
    expect(qs.list()[0].state).toBe('pending');
    qs.answer(raised[0].id, true, false);
    expect(await first).toBe('allow');
    expect(rules).toEqual([]);
    const second = qs.ask(q);
    qs.answer(raised[1].id, false, true);
    expect(await second).toBe('block');
    expect(rules).toMatchObject([{ access: 'block', host: 'mail.example.com' }]);
  });

  it('keeps only the most recent questions, newest first', async () => {
    const { qs } = setup(false);
    for (let i = 0; i < RECENT_QUESTIONS + 5; i++) await qs.ask({ ...q, server: `s${i}` });
    const list = qs.list();
    expect(list).toHaveLength(RECENT_QUESTIONS);
    expect(list[0].server).toBe(`s${RECENT_QUESTIONS + 4}`);
  });

  it('blocks open questions when the service stops', async () => {
    const { qs } = setup(true);
    const pending = qs.ask(q);
    qs.close();
    expect(await pending).toBe('block');
  });
});
