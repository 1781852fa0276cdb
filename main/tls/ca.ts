// The Mailward root CA: made once per install on first run, reused after. The key pair comes from
// Node's native crypto (node-forge's pure-JS keygen takes seconds); node-forge builds and signs the
// certificate. Key file mode 0600 in DATA_DIR/tls.
import forge from 'node-forge';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { signCertificate } from './sign.ts';

export const CA_CERT_FILE = 'mailward-root-ca.crt';
export const CA_KEY_FILE = 'mailward-root-ca.key';
const CA_YEARS = 10;

export interface RootCa {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  /** SHA-256 of the DER, colon-separated upper-case hex. */
  fingerprint: string;
  /** Subject common name, e.g. "Mailward Root CA 3f9c2a1b". */
  subject: string;
}

export function tlsDir(dataDir: string): string {
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function sha256Fingerprint(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?=.)/g, '$1:');
}

export function pemToDer(pem: string): Buffer {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return Buffer.from(b64, 'base64');
}

export function randomSerial(): string {
  // Positive (top bit clear), 16 bytes: unique enough that no two certificates ever share one.
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

function fromPems(certPem: string, keyPem: string): RootCa {
  const cert = forge.pki.certificateFromPem(certPem);
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cn = cert.subject.getField('CN');
  return {
    certPem,
    keyPem,
    cert,
    key,
    fingerprint: sha256Fingerprint(pemToDer(certPem)),
    subject: String(cn?.value ?? 'Mailward Root CA'),
  };
}

function createRootCa(): { certPem: string; keyPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const keyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pubPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pubPem);
  cert.serialNumber = randomSerial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 2 * 86400_000);
  cert.validity.notAfter = new Date(now + CA_YEARS * 365.25 * 86400_000);
  // The install-unique suffix tells two installs' CAs apart in a certificate store.
  const attrs = [
    { name: 'commonName', value: `Mailward Root CA ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'Mailward' },
    { shortName: 'OU', value: 'Local email protection (generated on this computer)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, keyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** Load the root CA from DATA_DIR/tls, creating it on first use. */
export function loadOrCreateCa(dataDir: string): RootCa {
  const dir = tlsDir(dataDir);
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  const load = () => fromPems(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
  if (existsSync(certPath) && existsSync(keyPath)) return load();
  // `mailward ca export` and the service may start together on a fresh install: one of them makes the
  // CA (exclusive lock file), the other waits for it, so both use the same CA.
  const lock = join(dir, 'ca.lock');
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch {
    const deadline = Date.now() + CA_LOCK_WAIT_MS;
    while (!(existsSync(certPath) && existsSync(keyPath)) && Date.now() < deadline) sleepSync(50);
    if (existsSync(certPath) && existsSync(keyPath)) return load();
    throw new Error(`the root CA is being created by another process (${lock}); remove the file if none is`);
  }
  try {
    const { certPem, keyPem } = createRootCa();
    // Key first, certificate last: the certificate's presence means both are complete.
    writeFileSync(`${keyPath}.tmp`, keyPem, { mode: 0o600 });
    chmodSync(`${keyPath}.tmp`, 0o600);
    renameSync(`${keyPath}.tmp`, keyPath);
    writeFileSync(`${certPath}.tmp`, certPem, { mode: 0o644 });
    renameSync(`${certPath}.tmp`, certPath);
    return fromPems(certPem, keyPem);
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

/** How long a second process waits for another one creating the CA (key generation takes ~1 s). */
const CA_LOCK_WAIT_MS = 30_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
