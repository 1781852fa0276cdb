// Routes kept in settings follow the settings while the service runs: `mailward settings set routes …`
// from another process opens a listener (printed like the others) and removing the route closes it.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSamples } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve } from './helpers/clients.ts';
import { startDovecot, type RunningDovecot } from './helpers/dovecot.ts';
import { eventually } from './helpers/eventually.ts';
import { startMailward, type RunningMailward } from './helpers/mailward.ts';

let dovecot: RunningDovecot;
let mailward: RunningMailward;

beforeAll(async () => {
  dovecot = await startDovecot({ messages: [buildSamples().cleanPlain] });
  mailward = await startMailward({ routes: [], expectListeners: 0 });
});

afterAll(async () => {
  const code = await mailward?.stop();
  mailward?.cleanup();
  await dovecot?.stop();
  expect(code).toBe(0);
});

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

it('a route added to the settings starts listening, and stops when removed', async () => {
  const upstream = `pop3://127.0.0.1:${dovecot.ports.pop3}`;
  const set = await mailward.cli(['settings', 'set', 'routes', `0=${upstream}`]);
  expect(set.code, set.stderr).toBe(0);
  const l = await eventually(async () => mailward.listener('pop3', dovecot.ports.pop3));
  expect(mailward.stdout()).toContain(`listening pop3 127.0.0.1:${l.port} -> ${upstream}`);
  const r = await curlPop3Retrieve(
    { scheme: 'pop3', host: '127.0.0.1', port: l.port, user: dovecot.user, password: dovecot.password },
    [1],
  );
  expect(r.code, r.stderr).toBe(0);

  expect((await mailward.cli(['settings', 'set', 'routes', ''])).code).toBe(0);
  await eventually(async () => {
    if (!(await refused(l.port))) throw new Error('still listening');
  });
});
