import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appFileFor, APP_ENTRY, CONTENT_SECURITY_POLICY, senderProblem } from './security.ts';

describe('IPC sender check', () => {
  const ours = 7;
  const main = (url: string) => ({ webContentsId: ours, frame: { url, isMainFrame: true } });
  it('accepts our window main frame on our origin', () => {
    expect(senderProblem(main(APP_ENTRY + '#/detections'), ours)).toBeNull();
  });
  it('refuses another webContents, a subframe, a foreign origin, a vanished frame, and calls with no window', () => {
    expect(senderProblem({ ...main(APP_ENTRY), webContentsId: 8 }, ours)).toBe('not our window');
    expect(senderProblem({ webContentsId: ours, frame: { url: APP_ENTRY, isMainFrame: false } }, ours)).toBe(
      'not the main frame',
    );
    expect(senderProblem(main('https://evil.example/'), ours)).toBe('unexpected origin https://evil.example');
    expect(senderProblem(main('mailward://app.evil/'), ours)).toMatch(/unexpected origin/);
    expect(senderProblem(main('file:///home/u/index.html'), ours)).toMatch(/unexpected origin/);
    expect(senderProblem({ webContentsId: ours, frame: null }, ours)).toBe('sender frame is gone');
    expect(senderProblem(main(APP_ENTRY), null)).toBe('not our window');
  });
});

describe('packaged files under the app scheme', () => {
  const root = mkdtempSync(join(tmpdir(), 'mailward-renderer-'));
  writeFileSync(join(root, 'index.html'), '<html></html>');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps app URLs to files under the renderer folder', () => {
    expect(appFileFor(root, 'mailward://app/')).toEqual({
      ok: true,
      file: join(root, 'index.html'),
      mime: 'text/html; charset=utf-8',
    });
    expect(appFileFor(root, 'mailward://app/assets/main-1.js')).toMatchObject({
      ok: true,
      file: join(root, 'assets/main-1.js'),
    });
  });
  it('refuses paths escaping the folder and other hosts', () => {
    // URL parsing folds encoded dots back into the folder; an encoded slash would escape it, so is refused.
    expect(appFileFor(root, 'mailward://app/%2e%2e/%2e%2e/etc/passwd')).toMatchObject({
      file: join(root, 'etc/passwd'),
    });
    expect(appFileFor(root, 'mailward://app/..%2f..%2fetc/passwd')).toEqual({ ok: false, status: 403 });
    expect(appFileFor(root, 'mailward://other/index.html')).toEqual({ ok: false, status: 403 });
    expect(appFileFor(root, 'https://app/index.html')).toEqual({ ok: false, status: 403 });
  });
  it('the CSP allows nothing remote and no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
  });
});
