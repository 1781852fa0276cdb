// Leaf certificates the client sees, one per upstream identity, signed by the root CA.
// One leaf key pair per install (Node's native keygen, like sslsplit's start-up key), so minting is
// only a forge signature (~25 ms); minted certificates are cached in memory and on disk, keyed by the
// upstream certificate's fingerprint and the names asked for, so a reconnect costs no signing.
import forge from 'node-forge';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { randomSerial, tlsDir, type RootCa } from './ca.ts';
import { signCertificate } from './sign.ts';

const LEAF_KEY_FILE = 'leaf.key';
const DAY = 86400_000;
/** ~1 year like mitmproxy (Apple rejects > 825 days), backdated 2 days for clock skew. */
const LEAF_VALID_DAYS = 365;
const BACKDATE_DAYS = 2;
/** Memory cache bound: identities seen by one service are few; the disk cache holds the rest. */
const MEMORY_CACHE_MAX = 500;

export interface LeafRequest {
  /** The upstream server's certificate (mimicked), when the upstream TLS got that far. */
  upstream?: PeerCertificate;
  /** Names the certificate must be valid for: client SNI, route host, local listener host/IP. */
  names: string[];
}

export interface MintedLeaf {
  certPem: string;
  context: SecureContext;
  /** Whether this call signed a new certificate (false: memory or disk cache). */
  minted: boolean;
}

function loadOrCreateLeafKey(dir: string): { keyPem: string; pubPem: string } {
  const path = join(dir, LEAF_KEY_FILE);
  if (!existsSync(path)) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path, pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), { mode: 0o600 });
  }
  const keyPem = readFileSync(path, 'utf8');
  const pubPem = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { keyPem, pubPem };
}

/** Subject fields of the upstream certificate that forge knows by short name. */
const SUBJECT_FIELDS = ['CN', 'O', 'OU', 'L', 'ST', 'C'] as const;

function subjectOf(upstream: PeerCertificate | undefined, fallbackCn: string): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [];
  const subj = (upstream?.subject ?? {}) as unknown as Record<string, string | string[] | undefined>;
  for (const f of SUBJECT_FIELDS) {
    const v = subj[f];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) attrs.push({ shortName: f, value });
  }
  if (!attrs.some((a) => a.shortName === 'CN')) attrs.unshift({ shortName: 'CN', value: fallbackCn });
  return attrs;
}

/** SANs from Node's `subjectaltname` string: "DNS:a.example, IP Address:127.0.0.1". */
export function upstreamAltNames(upstream?: PeerCertificate): string[] {
  const out: string[] = [];
  for (const item of (upstream?.subjectaltname ?? '').split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.+)$/.exec(item.trim());
    if (m) out.push(m[2]);
  }
  return out;
}

function altNamesExtension(names: string[]): forge.pki.CertificateField {
  const altNames: { type: number; value?: string; ip?: string }[] = [];
  const seen = new Set<string>();
  const add = (type: number, v: string, asIp = false) => {
    const k = `${type}:${v}`;
    if (seen.has(k)) return;
    seen.add(k);
    altNames.push(asIp ? { type, ip: v } : { type, value: v });
  };
  for (const n of names) {
    if (isIP(n)) {
      add(7, n, true);
      // fetchmail and mbsync match an IP address only against DNS-type names.
      add(2, n);
    } else add(2, n.toLowerCase());
  }
  return { name: 'subjectAltName', altNames } as forge.pki.CertificateField;
}

export class LeafMinter {
  private readonly dir: string;
  private readonly key: { keyPem: string; pubPem: string };
  private readonly memory = new Map<string, MintedLeaf>();
  /** Parsed once: every leaf carries the same public key and the same authority key identifier. */
  private readonly publicKey: forge.pki.PublicKey;
  private readonly caKeyId: string;
  private readonly caKey: KeyObject;

  constructor(
    dataDir: string,
    private readonly ca: RootCa,
  ) {
    this.dir = join(tlsDir(dataDir), 'leaves');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.key = loadOrCreateLeafKey(tlsDir(dataDir));
    this.publicKey = forge.pki.publicKeyFromPem(this.key.pubPem);
    this.caKeyId = this.ca.cert.generateSubjectKeyIdentifier().getBytes();
    this.caKey = createPrivateKey(this.ca.keyPem);
  }

  /** A certificate (and ready TLS context) for this upstream identity and these names. */
  leafFor(req: LeafRequest): MintedLeaf {
    const names = [...new Set([...upstreamAltNames(req.upstream), ...req.names].filter(Boolean))];
    const id = createHash('sha256')
      .update(this.ca.fingerprint)
      .update('|')
      .update(req.upstream?.fingerprint256 ?? 'no-upstream-certificate')
      .update('|')
      .update([...names].sort().join(','))
      .digest('hex');
    const hit = this.memory.get(id);
    if (hit) return { ...hit, minted: false };
    const path = join(this.dir, `${id}.pem`);
    let certPem: string | undefined;
    let minted = false;
    if (existsSync(path)) {
      certPem = readFileSync(path, 'utf8');
      const cert = forge.pki.certificateFromPem(certPem);
      // A cached leaf about to expire is minted again.
      if (cert.validity.notAfter.getTime() < Date.now() + 7 * DAY) certPem = undefined;
    }
    if (!certPem) {
      certPem = this.sign(req.upstream, names);
      writeFileSync(path, certPem, { mode: 0o600 });
      minted = true;
    }
    const leaf: MintedLeaf = {
      certPem,
      context: createSecureContext({ key: this.key.keyPem, cert: certPem, minVersion: 'TLSv1.2' }),
      minted,
    };
    if (this.memory.size >= MEMORY_CACHE_MAX) this.memory.delete(this.memory.keys().next().value!);
    this.memory.set(id, leaf);
    return leaf;
  }

  private sign(upstream: PeerCertificate | undefined, names: string[]): string {
    const cert = forge.pki.createCertificate();
    cert.publicKey = this.publicKey;
    cert.serialNumber = randomSerial();
    const now = Date.now();
    cert.validity.notBefore = new Date(now - BACKDATE_DAYS * DAY);
    cert.validity.notAfter = new Date(now + LEAF_VALID_DAYS * DAY);
    cert.setSubject(subjectOf(upstream, names[0] ?? 'localhost'));
    cert.setIssuer(this.ca.cert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      altNamesExtension(names),
      { name: 'subjectKeyIdentifier' },
      {
        name: 'authorityKeyIdentifier',
        keyIdentifier: this.caKeyId,
      },
    ]);
    signCertificate(cert, this.caKey);
    return forge.pki.certificateToPem(cert);
  }
}
