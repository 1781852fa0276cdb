// TLS interception for the proxy: what the proxy session (main/proxy/session*.ts) needs to open the upstream leg (roots, SNI, minimum
// version), to judge the upstream certificate by the sslTls settings, and to present a minted
// certificate on the client leg. No sockets here: main/proxy/server.ts and session*.ts own them.
import { isIP } from 'node:net';
import type { ConnectionOptions, PeerCertificate, SecureContext, TLSSocket } from 'node:tls';
import type { CertificateRule, Settings } from '../../shared/settings/index.ts';
import type { Logger } from '../log.ts';
import { loadOrCreateCa, type RootCa } from './ca.ts';
import { LeafMinter } from './leaf.ts';
import { CertificateQuestions } from './questions.ts';
import { TrustStore } from './trust.ts';
import { decide } from './rules.ts';
import { checkUpstream, describeHandshakeError } from './verify.ts';
import type { CertificateQuestion } from '../../shared/events.ts';

export type UpstreamJudgement = { ok: true; warning?: string } | { ok: false; reason: string };

export interface InterceptorOptions {
  dataDir: string;
  settings: () => Settings;
  log: Logger;
  /** `--trust-ca` files, added for this run on top of the system store and trustedCertificates. */
  trustCa?: string[];
  /** Raise an engine 'certificateQuestion' event. */
  raiseQuestion: (q: CertificateQuestion) => void;
  /** Persist a remembered answer as a certificate rule (the settings store); without it, rules last the run. */
  saveRule?: (rule: CertificateRule) => void;
}

export class TlsInterceptor {
  readonly ca: RootCa;
  readonly questions: CertificateQuestions;
  private readonly minter: LeafMinter;
  private readonly trust: TrustStore;
  /** Remembered answers when the host gives no settings store to keep them in. */
  private readonly runRules: CertificateRule[] = [];

  constructor(private readonly opts: InterceptorOptions) {
    this.ca = loadOrCreateCa(opts.dataDir);
    this.minter = new LeafMinter(opts.dataDir, this.ca);
    this.trust = new TrustStore(opts.trustCa ?? [], opts.log);
    this.questions = new CertificateQuestions(
      opts.raiseQuestion,
      opts.saveRule ?? ((rule) => this.runRules.push(rule)),
    );
  }

  /** Options for tls.connect to the real server: SNI = the client's or the route host (never an IP). */
  upstreamOptions(host: string, sni?: string): ConnectionOptions {
    const s = this.opts.settings().webAndEmail.sslTls;
    // RFC 6066 forbids an IP address as server name (fetchmail sends one when connecting to an IP).
    const name = sni ?? host;
    const servername = isIP(name) ? undefined : name;
    return {
      servername,
      secureContext: this.trust.upstreamContext(s.trustedCertificates, !s.blockObsoleteProtocols),
      // We judge the certificate ourselves, to apply the user's policy and explain failures.
      rejectUnauthorized: false,
    };
  }

  /** Apply certificate rules, then the mode and unverifiedCertificate/invalidCertificate, to a finished handshake. */
  async judge(socket: TLSSocket, host: string, server: string): Promise<UpstreamJudgement> {
    const problem = checkUpstream(socket, host);
    const s = this.opts.settings().webAndEmail.sslTls;
    if (!problem && s.certificateRules.length === 0 && this.runRules.length === 0) return { ok: true };
    const fingerprint = problem?.fingerprint ?? socket.getPeerCertificate()?.fingerprint256 ?? '';
    const rules = this.runRules.length
      ? { ...s, certificateRules: [...s.certificateRules, ...this.runRules] }
      : s;
    const decision = decide(rules, host, fingerprint, problem);
    if (!decision) return { ok: true };
    const log = { server, code: problem?.code, reason: problem?.reason, fingerprint };
    if (decision.by === 'rule') {
      const rule = { host: decision.rule.host, access: decision.rule.access, note: decision.rule.note };
      if (decision.rule.access === 'block') {
        this.opts.log.warn({ ...log, rule }, 'upstream certificate refused by a certificate rule');
        return { ok: false, reason: `the server's certificate for ${host} is blocked by a certificate rule` };
      }
      if (problem)
        this.opts.log.warn(
          { ...log, rule },
          'upstream certificate not trusted; allowed by a certificate rule',
        );
      return problem ? { ok: true, warning: problem.reason } : { ok: true };
    }
    // decision.by === 'policy' implies a problem.
    const p = problem!;
    const action = decision.action;
    if (action === 'allow') {
      this.opts.log.warn(log, 'upstream certificate not trusted; allowed by policy');
      return { ok: true, warning: p.reason };
    }
    if (action === 'ask') {
      const answer = await this.questions.ask({
        server,
        host,
        reason: p.reason,
        fingerprint,
        kind: p.kind,
      });
      if (answer === 'allow') {
        this.opts.log.warn(log, 'upstream certificate not trusted; allowed by the user');
        return { ok: true, warning: p.reason };
      }
    }
    this.opts.log.warn({ ...log, policy: action }, 'upstream certificate refused');
    return { ok: false, reason: p.reason };
  }

  describeFailure(err: NodeJS.ErrnoException, host: string): string {
    return describeHandshakeError(err, host, this.opts.settings().webAndEmail.sslTls.blockObsoleteProtocols);
  }

  /** A TLS context for the client leg, mimicking the upstream certificate, valid for `names`. */
  clientContext(upstream: PeerCertificate | undefined, names: string[]): SecureContext {
    const started = performance.now();
    const leaf = this.minter.leafFor({ upstream, names });
    if (leaf.minted) {
      this.opts.log.info(
        { names, ms: Math.round(performance.now() - started) },
        'minted a certificate for a new server identity',
      );
    }
    return leaf.context;
  }
}
