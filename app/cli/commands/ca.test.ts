// `mailward ca install` with real NSS databases made by certutil (libnss3-tools), as Thunderbird keeps them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../../main/tls/ca.ts';
import { installInSystemStore } from '../../../main/tls/install-ca.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/mailward.js');

function mailward(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function thunderbirdProfile(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'prefs.js'), '// Thunderbird prefs\n');
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
  return dir;
}

describe('mailward ca install', () => {
  it('trusts the root CA in every Thunderbird profile found, for servers and mail', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailward-ca-data-'));
    const root = mkdtempSync(join(tmpdir(), 'mailward-tb-'));
    const profiles = [thunderbirdProfile(root, 'abcd.default'), thunderbirdProfile(root, 'efgh.work')];
    mkdirSync(join(root, 'Crash Reports')); // not a profile: no prefs.js, no cert9.db

    const r = mailward(['ca', 'install', '--thunderbird', '--profiles-dir', root, '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const ca = loadOrCreateCa(dataDir);
    for (const dir of profiles) {
      expect(r.stdout).toContain(`thunderbird ${dir}: installed`);
      const listed = execFileSync('certutil', ['-L', '-d', `sql:${dir}`], { encoding: 'utf8' });
      expect(listed).toMatch(new RegExp(`${ca.subject}\\s+C,C,`));
    }
    expect(r.stdout).not.toContain('Crash Reports');
  });

  it('says so when no profile is found, and fails clearly on a profile it cannot write', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailward-ca-data-'));
    const empty = mkdtempSync(join(tmpdir(), 'mailward-tb-empty-'));
    const none = mailward(['ca', 'install', '--thunderbird', '--profiles-dir', empty, '--data-dir', dataDir]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(`thunderbird: no profiles found in ${empty}`);

    const broken = join(mkdtempSync(join(tmpdir(), 'mailward-tb-broken-')), 'x.default');
    mkdirSync(broken);
    writeFileSync(join(broken, 'cert9.db'), 'not a database');
    const r = mailward([
      'ca',
      'install',
      '--thunderbird',
      '--profiles-dir',
      join(broken, '..'),
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`thunderbird ${broken}: FAILED`);
  });

  it('writes the CA into the system store folder and rebuilds the bundle', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailward-ca-data-'));
    const dir = mkdtempSync(join(tmpdir(), 'mailward-sys-ca-'));
    const marker = join(dir, 'updated');
    const ca = loadOrCreateCa(dataDir);
    const r = await installInSystemStore(ca, { dir, update: ['touch', marker] });
    expect(r.ok, r.message).toBe(true);
    const file = r.target.replace(/^system /, '');
    expect(readFileSync(file, 'utf8')).toBe(ca.certPem);
    expect(readFileSync(marker, 'utf8')).toBe('');
  });
});
