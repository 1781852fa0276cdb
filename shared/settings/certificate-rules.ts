// Certificate rules (webAndEmail.sslTls.certificateRules): a server certificate, named by host and SHA-256
// fingerprint, that is always allowed or always blocked, whatever the unverified/invalid policy says.
// Also the text form (`settings set`, the UI's staging): one rule per line or `;`, `ACCESS HOST FINGERPRINT [NOTE]`.
import { z } from 'zod';
import { splitList } from './split-list.ts';

export const RULE_ACCESS = ['allow', 'block'] as const;
export type RuleAccess = (typeof RULE_ACCESS)[number];

/** SHA-256 as Node prints it (PeerCertificate.fingerprint256): 32 colon-separated hex pairs. */
export const FINGERPRINT_RE = /^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;

export const certificateRule = z.object({
  host: z.string().trim().min(1, 'A certificate rule needs the server name'),
  fingerprint: z
    .string()
    .regex(FINGERPRINT_RE, 'A fingerprint is SHA-256 as 32 colon-separated hex pairs (AA:BB:…)'),
  access: z.enum(RULE_ACCESS),
  note: z.string().optional(),
  created: z.iso.datetime({ error: 'created is an ISO date-time' }).optional(),
});
export type CertificateRule = z.infer<typeof certificateRule>;

/** The rule for this certificate on this host, if any (fingerprints compared regardless of case). */
export function findCertificateRule(
  rules: readonly CertificateRule[],
  host: string,
  fingerprint: string,
): CertificateRule | undefined {
  const fp = fingerprint.toUpperCase();
  const h = host.toLowerCase();
  return rules.find((r) => r.host.toLowerCase() === h && r.fingerprint.toUpperCase() === fp);
}

export function parseCertificateRules(text: string): unknown[] {
  // Not split at commas: a rule's note is free text.
  return splitList(text, /[\n;]/).map((line) => {
    const [access = '', host = '', fingerprint = '', ...note] = line.split(/\s+/);
    return { access, host, fingerprint, ...(note.length ? { note: note.join(' ') } : {}) };
  });
}

export function formatCertificateRules(rules: readonly CertificateRule[]): string {
  return rules.map((r) => [r.access, r.host, r.fingerprint, r.note].filter(Boolean).join(' ')).join('; ');
}
