// What decides about an upstream certificate before anyone is asked: a certificate rule for this host and
// fingerprint, then the sslTls mode with the unverified/invalid settings. Pure, so every case is testable.
import { findCertificateRule, type CertificateRule, type Settings } from '../../shared/settings/index.ts';
import type { CertProblem } from './verify.ts';

type SslSettings = Settings['webAndEmail']['sslTls'];
export type Decision =
  { by: 'rule'; rule: CertificateRule } | { by: 'policy'; action: 'allow' | 'block' | 'ask' };

/** null: a good certificate with no rule about it. */
export function decide(
  s: SslSettings,
  host: string,
  fingerprint: string,
  problem: CertProblem | null,
): Decision | null {
  const rule = fingerprint ? findCertificateRule(s.certificateRules, host, fingerprint) : undefined;
  if (rule) return { by: 'rule', rule };
  if (!problem) return null;
  // Interactive: the user is the policy for anything that fails verification.
  if (s.mode === 'interactive') return { by: 'policy', action: 'ask' };
  const action = problem.kind === 'unverified' ? s.unverifiedCertificate : s.invalidCertificate;
  // Policy mode never asks.
  return { by: 'policy', action: s.mode === 'policy' && action === 'ask' ? 'block' : action };
}

/**
 * Settings with `rule` added: a rule for the same host and certificate is replaced (the newest answer
 * wins), so answering twice leaves one rule.
 */
export function withRule(settings: Settings, rule: CertificateRule): Settings {
  const s = settings.webAndEmail.sslTls;
  const others = s.certificateRules.filter(
    (r) =>
      !(
        r.host.toLowerCase() === rule.host.toLowerCase() &&
        r.fingerprint.toUpperCase() === rule.fingerprint.toUpperCase()
      ),
  );
  return {
    ...settings,
    webAndEmail: {
      ...settings.webAndEmail,
      sslTls: { ...s, certificateRules: [...others, rule] },
    },
  };
}
