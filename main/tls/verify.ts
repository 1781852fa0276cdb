// Why an upstream certificate failed, in words a user can act on, and which policy bucket it falls in:
// `unverified` (cannot be chained to a trusted root: self-signed, unknown issuer) or `invalid`
// (expired, not yet valid, issued for another name, corrupt).
import type { PeerCertificate, TLSSocket } from 'node:tls';

export type CertProblemKind = 'unverified' | 'invalid';

export interface CertProblem {
  kind: CertProblemKind;
  /** OpenSSL/Node code, e.g. CERT_HAS_EXPIRED. */
  code: string;
  /** "the server's certificate for mail.example.com expired on 2026-01-03" */
  reason: string;
  fingerprint: string;
}

const UNVERIFIED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
]);

const day = (s: string | undefined) => (s ? new Date(s).toISOString().slice(0, 10) : 'an unknown date');

function issuerName(cert: PeerCertificate): string {
  const i = cert.issuer as unknown as Record<string, string | string[] | undefined> | undefined;
  const v = i?.CN ?? i?.O;
  return (Array.isArray(v) ? v[0] : v) ?? 'an unknown issuer';
}

function certNames(cert: PeerCertificate): string {
  const sans = (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const cn = (cert.subject as unknown as Record<string, string | undefined> | undefined)?.CN;
  const names = sans.length ? sans : cn ? [cn] : [];
  return names.length ? names.join(', ') : 'no name';
}

export function describeProblem(code: string, cert: PeerCertificate, host: string): CertProblem {
  const fingerprint = cert.fingerprint256 ?? '';
  const mk = (kind: CertProblemKind, reason: string): CertProblem => ({ kind, code, reason, fingerprint });
  const whose = `the server's certificate for ${host}`;
  if (code === 'CERT_HAS_EXPIRED') return mk('invalid', `${whose} expired on ${day(cert.valid_to)}`);
  if (code === 'CERT_NOT_YET_VALID')
    return mk('invalid', `${whose} is not valid before ${day(cert.valid_from)}`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return mk('invalid', `the server's certificate is for ${certNames(cert)}, not ${host}`);
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
    return mk('unverified', `${whose} is self-signed and not trusted`);
  if (UNVERIFIED_CODES.has(code))
    return mk('unverified', `${whose} was issued by "${issuerName(cert)}", which is not a trusted authority`);
  return mk('invalid', `${whose} is invalid or corrupt (${code})`);
}

/** After the upstream handshake (made with rejectUnauthorized: false): null when the certificate is good. */
export function checkUpstream(socket: TLSSocket, host: string): CertProblem | null {
  if (socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  const code = String(socket.authorizationError ?? 'UNKNOWN');
  return describeProblem(code, cert, host);
}

/** A failed upstream handshake, in words (OpenSSL's "error:0A00042E:SSL routines:…:reason:file:line" trimmed to the reason). */
export function describeHandshakeError(
  err: NodeJS.ErrnoException,
  host: string,
  obsoleteBlocked: boolean,
): string {
  const msg = err.message ?? String(err);
  if (
    obsoleteBlocked &&
    /alert protocol version|unsupported protocol|wrong version number|no protocols available/i.test(msg)
  ) {
    return `the server ${host} offers only TLS below 1.2, which is blocked as obsolete`;
  }
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(msg)?.[1] ?? msg;
  return `TLS with the server ${host} failed (${reason})`;
}
