// The roots used to verify upstream servers: the system store, plus `sslTls.trustedCertificates`
// (file paths or PEM text), plus `--trust-ca` files given to `mailward run`.
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Logger } from '../log.ts';

/** Debian/Ubuntu, Fedora/RHEL, Alpine/Arch bundles; Node's built-in list when none is present. */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

let systemRoots: string[] | undefined;

export function systemStore(): string[] {
  if (systemRoots) return systemRoots;
  const bundle = SYSTEM_BUNDLES.find((p) => existsSync(p));
  systemRoots = bundle ? splitPem(readFileSync(bundle, 'utf8')) : [...rootCertificates];
  if (systemRoots.length === 0) systemRoots = [...rootCertificates];
  return systemRoots;
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Certificates from one `trustedCertificates` entry: PEM text as is, anything else is a file path. */
function entryCerts(entry: string, log?: Logger): string[] {
  if (entry.includes('-----BEGIN CERTIFICATE-----')) return splitPem(entry);
  try {
    const certs = splitPem(readFileSync(entry, 'utf8'));
    if (certs.length === 0) log?.warn({ file: entry }, 'trusted certificate file holds no PEM certificate');
    return certs;
  } catch (err) {
    log?.warn({ file: entry, error: (err as Error).message }, 'trusted certificate file cannot be read');
    return [];
  }
}

/** Caches the combined list per set of entries, so a connection costs no file reads. */
export class TrustStore {
  private key = '';
  private list: string[] = [];

  constructor(
    private readonly extraFiles: string[] = [],
    private readonly log?: Logger,
  ) {}

  roots(trustedCertificates: string[]): string[] {
    const entries = [...trustedCertificates, ...this.extraFiles];
    const key = entries.join('\0');
    if (key !== this.key || this.list.length === 0) {
      this.key = key;
      this.list = [...systemStore(), ...entries.flatMap((e) => entryCerts(e, this.log))];
    }
    return this.list;
  }
}
