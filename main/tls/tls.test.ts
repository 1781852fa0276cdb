import forge from 'node-forge';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer as createTlsServer, type SecureContext, type TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { CA_KEY_FILE, loadOrCreateCa, pemToDer, randomSerial } from './ca.ts';
import { peekClientHello } from './client-hello.ts';
import { LeafMinter } from './leaf.ts';
import { checkUpstream } from './verify.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mailward-tls-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A TLS server on 127.0.0.1 presenting `context` (or cert/key); resolves with the client socket after the handshake. */
async function handshake(
  server: { context?: SecureContext; cert?: string; key?: string },
  client: { ca: string[]; servername?: string },
): Promise<TLSSocket> {
  // A minted context is served by SNI (the client always sends one here), as the proxy does.
  const srv = createTlsServer(
    server.context
      ? { SNICallback: (_n, cb) => cb(null, server.context!) }
      : { cert: server.cert, key: server.key },
  );
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  srv.on('secureConnection', (s) => s.end());
  srv.on('tlsClientError', () => {});
  try {
    return await new Promise<TLSSocket>((resolve, reject) => {
      const s = connect({
        host: '127.0.0.1',
        port,
        ca: client.ca,
        servername: client.servername,
        rejectUnauthorized: false,
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
  } finally {
    srv.close();
  }
}

function signedBy(
  issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | 'self',
  o: { cn: string; sans: string[]; notBefore: Date; notAfter: Date },
): { cert: string; key: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = o.notAfter;
  cert.setSubject([{ shortName: 'CN', value: o.cn }]);
  cert.setIssuer(issuer === 'self' ? [{ shortName: 'CN', value: o.cn }] : issuer.cert.subject.attributes);
  cert.setExtensions([{ name: 'subjectAltName', altNames: o.sans.map((v) => ({ type: 2, value: v })) }]);
  const key = issuer === 'self' ? forge.pki.privateKeyFromPem(keyPem) : issuer.key;
  cert.sign(key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

describe('root CA', () => {
  it('is made once per install (RSA ≥ 2048, ~10 years, install-unique name, key 0600) and reused', () => {
    const dir = tempDir();
    const a = loadOrCreateCa(dir);
    const b = loadOrCreateCa(dir);
    expect(b.fingerprint).toBe(a.fingerprint);
    const x = new X509Certificate(a.certPem);
    expect(x.ca).toBe(true);
    expect(x.subject).toMatch(/CN=Mailward Root CA [0-9a-f]{8}/);
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    const years = (Date.parse(x.validTo) - Date.now()) / (365.25 * 86400_000);
    expect(years).toBeGreaterThan(9.9);
    expect(statSync(join(dir, 'tls', CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(a.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(loadOrCreateCa(tempDir()).subject).not.toBe(a.subject);
  });
});

describe('minted leaf certificates', () => {
  const dir = tempDir();
  const ca = loadOrCreateCa(dir);

  it('mirror the upstream names, add SNI and the listener IP (also as a DNS name) and verify against the root', async () => {
    const minter = new LeafMinter(dir, ca);
    const leaf = minter.leafFor({ names: ['mail.example.com', '127.0.0.1'] });
    const x = new X509Certificate(leaf.certPem);
    expect(x.subjectAltName).toContain('DNS:mail.example.com');
    expect(x.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x.subjectAltName).toContain('DNS:127.0.0.1'); // fetchmail/mbsync match IPs against DNS names only
    expect(x.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86400_000;
    expect(days).toBeLessThanOrEqual(825);
    const s = await handshake(
      { context: leaf.context },
      { ca: [ca.certPem], servername: 'mail.example.com' },
    );
    expect(s.authorized).toBe(true);
    s.destroy();
  });

  it('are signed once per identity: again from memory, and after a restart from disk', () => {
    const names = ['pop.example.org'];
    expect(new LeafMinter(dir, ca).leafFor({ names }).minted).toBe(true);
    const m = new LeafMinter(dir, ca);
    expect(m.leafFor({ names }).minted).toBe(false);
    expect(m.leafFor({ names }).minted).toBe(false);
  });
});

describe('upstream certificate problems in words', () => {
  const dir = tempDir();
  const ca = loadOrCreateCa(dir);
  const now = Date.now();
  const valid = { notBefore: new Date(now - 86400_000), notAfter: new Date(now + 86400_000) };

  it('an expired certificate is invalid and says when it expired', async () => {
    const c = signedBy(ca, {
      cn: 'mail.example.com',
      sans: ['mail.example.com'],
      notBefore: new Date('2024-01-01'),
      notAfter: new Date('2025-01-03'),
    });
    const s = await handshake(c, { ca: [ca.certPem], servername: 'mail.example.com' });
    const p = checkUpstream(s, 'mail.example.com');
    s.destroy();
    expect(p).toMatchObject({ kind: 'invalid', code: 'CERT_HAS_EXPIRED' });
    expect(p!.reason).toBe("the server's certificate for mail.example.com expired on 2025-01-03");
  });

  it('a self-signed certificate is unverified', async () => {
    const c = signedBy('self', { cn: 'mail.example.com', sans: ['mail.example.com'], ...valid });
    const s = await handshake(c, { ca: [ca.certPem], servername: 'mail.example.com' });
    const p = checkUpstream(s, 'mail.example.com');
    s.destroy();
    expect(p).toMatchObject({ kind: 'unverified', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(p!.reason).toMatch(/self-signed and not trusted/);
  });

  it('a certificate for another name is invalid and names both', async () => {
    const c = signedBy(ca, { cn: 'other.example.net', sans: ['other.example.net'], ...valid });
    const s = await handshake(c, { ca: [ca.certPem], servername: 'mail.example.com' });
    const p = checkUpstream(s, 'mail.example.com');
    s.destroy();
    expect(p).toMatchObject({ kind: 'invalid' });
    expect(p!.reason).toBe("the server's certificate is for other.example.net, not mail.example.com");
  });

  it('a good certificate has no problem', async () => {
    const c = signedBy(ca, { cn: 'mail.example.com', sans: ['mail.example.com'], ...valid });
    const s = await handshake(c, { ca: [ca.certPem], servername: 'mail.example.com' });
    expect(checkUpstream(s, 'mail.example.com')).toBeNull();
    s.destroy();
    expect(pemToDer(c.cert).length).toBeGreaterThan(100);
  });
});

describe('ClientHello peek', () => {
  it('finds the SNI of a real ClientHello, and only once the hello is complete', async () => {
    const srv = createServer();
    const captured = new Promise<Buffer>((resolve) =>
      srv.on('connection', (sock) => {
        let buf = Buffer.alloc(0);
        sock.on('data', (d) => {
          buf = Buffer.concat([buf, d]);
          if (peekClientHello(buf).state === 'complete') {
            resolve(buf);
            sock.destroy();
          }
        });
      }),
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const c = connect({
      host: '127.0.0.1',
      port: (srv.address() as AddressInfo).port,
      servername: 'imap.example.com',
    });
    c.on('error', () => {});
    const hello = await captured;
    srv.close();
    expect(peekClientHello(hello)).toEqual({ state: 'complete', sni: 'imap.example.com' });
    for (let i = 0; i < hello.length; i += 7)
      expect(peekClientHello(hello.subarray(0, i)).state).toBe('incomplete');
    expect(peekClientHello(Buffer.from('USER alice\r\n')).state).toBe('notTls');
  });
});

describe('the root CA on a fresh install', () => {
  it('is the same for processes that start at once (ca export next to a starting service)', async () => {
    const { execFile } = await import('node:child_process');
    const dir = tempDir();
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'mailward.js');
    const one = () =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [bin, 'ca', 'fingerprint', '--data-dir', dir], (err, out) =>
          err ? reject(err) : resolve(out.trim()),
        ),
      );
    const prints = await Promise.all([one(), one(), one()]);
    expect(new Set(prints).size).toBe(1);
    expect(prints[0]).toBe(loadOrCreateCa(dir).fingerprint);
  });
});
