// node-forge builds the certificates; the RSA signature itself is made by Node's native crypto, because
// forge's pure-JS private-key operation takes ~100–400 ms with a 3072-bit CA key on a slow machine, and
// a new server's first handshake must not wait for that (goal: under 50 ms added).
import forge from 'node-forge';
import { sign, type KeyObject } from 'node:crypto';

/** Sign `cert` with SHA-256 and the private key (PEM or KeyObject), natively. */
export function signCertificate(cert: forge.pki.Certificate, key: string | KeyObject): void {
  let tbs = '';
  const md = forge.md.sha256.create();
  const update = md.update.bind(md);
  // forge feeds the DER of the TBSCertificate through md.update, then asks key.sign(md) for the signature.
  md.update = (bytes: string, encoding?: forge.Encoding) => {
    tbs += bytes;
    return update(bytes, encoding);
  };
  const signer = { sign: () => sign('sha256', Buffer.from(tbs, 'binary'), key).toString('binary') };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, md);
}
