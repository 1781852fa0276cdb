// The roots used to verify upstream servers: the system store, plus `sslTls.trustedCertificates`
// (file paths or PEM text), plus `--trust-ca` files given to `mailward run`.
import { existsSync, readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
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

/**
 * The TLS context for upstream connections: roots plus protocol floor. Built once per combination and
 * reused, because parsing ~150 system roots costs ~20 ms — on every connection otherwise.
 */
export class TrustStore {
  private key = '';
  private context?: SecureContext;

  constructor(
    private readonly extraFiles: string[] = [],
    private readonly log?: Logger,
  ) {}

  /** Every root trusted for upstream servers (system store, trustedCertificates, --trust-ca). */
  roots(trustedCertificates: string[]): string[] {
    return [
      ...systemStore(),
      ...[...trustedCertificates, ...this.extraFiles].flatMap((e) => entryCerts(e, this.log)),
    ];
  }

  upstreamContext(trustedCertificates: string[], allowObsolete: boolean): SecureContext {
    const key = [allowObsolete, ...trustedCertificates, ...this.extraFiles].join('\0');
    if (!this.context || key !== this.key) {
      this.key = key;
      this.context = createSecureContext({
        ca: this.roots(trustedCertificates),
        minVersion: allowObsolete ? 'TLSv1' : 'TLSv1.2',
        // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level: allowing them means lowering it.
        ...(allowObsolete ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
      });
    }
    return this.context;
  }
}
