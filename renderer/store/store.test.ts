// The store's staged edits: Cancel discards, OK validates then applies through the API, invalid input
// never reaches the API, changes made elsewhere arrive without losing the user's edits.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings/index.ts';
import { createFakeApi, type FakeApi } from '../testing/fake-api.ts';
import { connectEvents, createAppStore, loadAll, type AppStore } from './index.ts';

const EP = 'webAndEmail.emailClientProtection.emailProtocols';
const POP3_ON = `${EP}.pop3.enabled`;
const IMAPS_PORTS = `${EP}.imaps.ports`;
const TEMPLATE = 'webAndEmail.emailClientProtection.alerts.subjectTemplate';

let api: FakeApi;
let store: AppStore;
beforeEach(async () => {
  api = createFakeApi();
  store = createAppStore(api);
  connectEvents(store, api);
  await loadAll(store);
});

describe('staged settings', () => {
  it('a staged edit does not reach the engine until OK', async () => {
    store.getState().stage(POP3_ON, 'false');
    expect(store.getState().staged).toEqual({ [POP3_ON]: 'false' });
    expect(api.setCalls).toHaveLength(0);
    expect(await store.getState().apply()).toBe(true);
    expect(api.settings.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    expect(store.getState().staged).toEqual({});
    expect(store.getState().saved?.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
  });

  it('Cancel discards staged edits and their errors', () => {
    store.getState().stage(IMAPS_PORTS, '993, abc');
    store.getState().stage(POP3_ON, 'false');
    expect(store.getState().errors[IMAPS_PORTS]).toBe('"abc" is not a port number');
    store.getState().cancel();
    expect(store.getState().staged).toEqual({});
    expect(store.getState().errors).toEqual({});
    expect(store.getState().saved).toEqual(defaultSettings());
  });

  it('OK with an invalid field sends nothing and keeps the message', async () => {
    store.getState().stage(IMAPS_PORTS, '993, 99999');
    expect(await store.getState().apply()).toBe(false);
    expect(api.setCalls).toHaveLength(0);
    expect(store.getState().errors[IMAPS_PORTS]).toBe('Port 99999 is out of range 1–65535');
  });

  it('typing the saved value back unstages the field', () => {
    store.getState().stage(IMAPS_PORTS, '993');
    store.getState().stage(IMAPS_PORTS, '585, 993');
    expect(store.getState().staged).toEqual({});
  });

  it('a cross-field conflict is reported on the field that repeats the port', () => {
    store.getState().stage(`${EP}.pop3s.ports`, '993');
    expect(store.getState().errors[`${EP}.pop3s.ports`]).toBe('Port 993 is already used by IMAPS');
  });

  it('schema limits are worded for people', () => {
    store.getState().stage('scanner.limits.archiveDepth', '0');
    store.getState().stage('console.port', '70000');
    store.getState().stage('routes', '127.0.0.1:1110=pop3://mail.example.com:110\nnonsense');
    const { errors } = store.getState();
    expect(errors['scanner.limits.archiveDepth']).toBe('Must be at least 1');
    expect(errors['console.port']).toBe('Port 70000 is out of range 1–65535');
    expect(errors.routes).toBe('Route 2: Listen address is [HOST:]PORT');
  });

  it('revert to default stages the default; revert page does every key of the page', async () => {
    store.getState().stage(TEMPLATE, '[virus %DETECTIONNAME%]');
    await store.getState().apply();
    store.getState().revertToDefault(TEMPLATE);
    expect(store.getState().staged[TEMPLATE]).toBe('[detection %DETECTIONNAME%]');
    store.getState().cancel();
    store.getState().stage(POP3_ON, 'false');
    store.getState().stage(IMAPS_PORTS, '993');
    await store.getState().apply();
    store.getState().revertPageToDefaults('emailProtocols');
    expect(store.getState().staged).toEqual({ [POP3_ON]: 'true', [IMAPS_PORTS]: '585, 993' });
  });

  it('settings changed elsewhere arrive, and the user’s own edits stay on top', () => {
    store.getState().stage(IMAPS_PORTS, '993');
    const elsewhere = structuredClone(defaultSettings());
    elsewhere.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled = false;
    api.emit({ type: 'settings', settings: elsewhere });
    const s = store.getState();
    expect(s.saved?.webAndEmail.emailClientProtection.emailProtocols.pop3.enabled).toBe(false);
    expect(s.staged).toEqual({ [IMAPS_PORTS]: '993' });
  });

  it('a failed save keeps the edits and says why', async () => {
    store.getState().stage(POP3_ON, 'false');
    api.failNextSet = true;
    expect(await store.getState().apply()).toBe(false);
    expect(store.getState().staged).toEqual({ [POP3_ON]: 'false' });
    expect(store.getState().applyError).toBe('The settings were not saved: connection lost');
  });

  it('new detections arrive newest first, once each', () => {
    const d = (id: string, time: string) => ({
      id,
      time,
      threat: 'Eicar-Test-Signature',
      threats: ['Eicar-Test-Signature'],
      heuristic: false,
      protocol: 'pop3',
      server: 'x',
      action: 'removed' as const,
      parts: [],
      sha256: '',
      size: 1,
    });
    api.emit({ type: 'detection', detection: d('a', '2026-01-01T00:00:00Z') });
    api.emit({ type: 'detection', detection: d('b', '2026-01-02T00:00:00Z') });
    api.emit({ type: 'detection', detection: d('b', '2026-01-02T00:00:00Z') });
    expect(store.getState().detections.map((x) => x.id)).toEqual(['b', 'a']);
  });
});
