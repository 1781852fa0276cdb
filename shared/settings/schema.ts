// The one schema for Mailward's settings: validation, defaults, the UI and the CLI all come from here.
// Dot paths of every key are documented in README.md ("Settings keys").
import { z } from 'zod';
import { checkAddressItems } from './addresses.ts';
import { certificateRule } from './certificate-rules.ts';

const port = z
  .number({ error: 'A port is a whole number' })
  .int('A port is a whole number')
  .min(1, 'Port is out of range 1–65535')
  .max(65535, 'Port is out of range 1–65535');

const portList = z
  .array(port)
  .min(1, 'Enter at least one port')
  .superRefine((ports, ctx) => {
    const seen = new Set<number>();
    for (const p of ports) {
      if (seen.has(p)) ctx.addIssue({ code: 'custom', message: `Port ${p} is listed twice` });
      seen.add(p);
    }
  });

const protocolToggle = (ports: number[]) =>
  z.object({ enabled: z.boolean().default(true), ports: portList.default(ports) }).prefault({});

export const PROTOCOLS = ['imap', 'imaps', 'pop3', 'pop3s'] as const;
export type MailProtocol = (typeof PROTOCOLS)[number];
export const PROTOCOL_LABELS: Record<MailProtocol, string> = {
  imap: 'IMAP',
  imaps: 'IMAPS',
  pop3: 'POP3',
  pop3s: 'POP3S',
};

const emailProtocols = z
  .object({
    enabled: z.boolean().default(true),
    imap: protocolToggle([143]),
    imaps: protocolToggle([585, 993]),
    pop3: protocolToggle([110]),
    pop3s: protocolToggle([995]),
  })
  .prefault({})
  .superRefine((value, ctx) => {
    // The same port may not count as two protocols: "Port 993 is already used by IMAPS".
    const owner = new Map<number, MailProtocol>();
    for (const proto of PROTOCOLS) {
      for (const p of value[proto].ports) {
        const first = owner.get(p);
        if (first && first !== proto) {
          ctx.addIssue({
            code: 'custom',
            path: [proto, 'ports'],
            message: `Port ${p} is already used by ${PROTOCOL_LABELS[first]}`,
          });
        } else owner.set(p, proto);
      }
    }
  });

export const TAG_MESSAGES = ['never', 'infected', 'all'] as const;

const alerts = z
  .object({
    tagMessages: z.enum(TAG_MESSAGES).default('infected'),
    subjectTag: z.boolean().default(true),
    subjectTemplate: z
      .string()
      .max(200, 'The subject template is limited to 200 characters')
      .refine((s) => !/[\r\n]/.test(s), 'The subject template must be one line')
      .default('[detection %DETECTIONNAME%]'),
  })
  .prefault({});

/** What happens to an infected part of a message. */
export const ACTIONS_ON_INFECTED = ['removePart', 'tagOnly'] as const;
/** What happens to a heuristic finding: handled as infected, or only tagged. */
export const HEURISTIC_ACTIONS = ['asInfected', 'tagOnly'] as const;

const emailClientProtection = z
  .object({
    emailProtocols,
    alerts,
    actionOnInfected: z.enum(ACTIONS_ON_INFECTED).default('removePart'),
    heuristics: z.enum(HEURISTIC_ACTIONS).default('asInfected'),
  })
  .prefault({});

export const SSL_MODES = ['automatic', 'interactive', 'policy'] as const;
export const UNVERIFIED_ACTIONS = ['ask', 'allow', 'block'] as const;
export const INVALID_ACTIONS = ['ask', 'block'] as const;

const sslTls = z
  .object({
    enabled: z.boolean().default(true),
    mode: z.enum(SSL_MODES).default('automatic'),
    unverifiedCertificate: z.enum(UNVERIFIED_ACTIONS).default('ask'),
    invalidCertificate: z.enum(INVALID_ACTIONS).default('block'),
    blockObsoleteProtocols: z.boolean().default(true),
    /** Extra CAs trusted for upstream servers: file paths or PEM text. */
    trustedCertificates: z.array(z.string().min(1)).default([]),
    /** Certificates always allowed or blocked (a remembered answer to a certificate question is one). */
    certificateRules: z.array(certificateRule).default([]),
  })
  .prefault({});

const protocolFiltering = z
  .object({
    enabled: z.boolean().default(true),
    excludedApplications: z.array(z.string().min(1)).default([]),
    /** Single addresses, ranges "a - b" and CIDR, IPv4 and IPv6 (see shared/settings/addresses.ts). */
    excludedAddresses: z
      .array(z.string().min(1))
      .superRefine((items, ctx) => {
        const message = checkAddressItems(items);
        if (message) ctx.addIssue({ code: 'custom', message });
      })
      .default([]),
  })
  .prefault({});

export const WEB_AND_EMAIL = z.object({ emailClientProtection, sslTls, protocolFiltering }).prefault({});

export const UNSCANNABLE_ACTIONS = ['deliverTagged', 'removePart'] as const;

const MB = 1024 * 1024;
const scanner = z
  .object({
    limits: z
      .object({
        /** Messages larger than this are delivered unscanned with a warning tag (onUnscannable). */
        maxMessageSize: z
          .number()
          .int()
          .min(1024)
          .max(2048 * MB)
          .default(100 * MB),
        /** Nesting depth of archives and attached messages (ESET's default is 10). */
        archiveDepth: z.number().int().min(1).max(50).default(10),
        /** An archive member expanding more than this many times its compressed size is a bomb. */
        archiveExpansionRatio: z.number().int().min(2).max(100000).default(100),
        /** Total bytes expanded from archives in one message. */
        archiveTotalSize: z
          .number()
          .int()
          .min(1024)
          .max(8192 * MB)
          .default(200 * MB),
        /** Wall-clock limit for scanning one message, in milliseconds. */
        maxScanTimeMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .prefault({}),
    /** What to do with what cannot be scanned: deliver it with a warning tag (default), or remove it. */
    onUnscannable: z.enum(UNSCANNABLE_ACTIONS).default('deliverTagged'),
  })
  .prefault({});

export const ROUTE_SCHEMES = ['pop3', 'pop3s', 'imap', 'imaps'] as const;
export const route = z.object({
  /** `[HOST:]PORT` of the local listener; host defaults to 127.0.0.1. */
  listen: z.string().regex(/^(?:[^\s:]+:|\[[0-9a-fA-F:]+\]:)?\d{1,5}$/, 'Listen address is [HOST:]PORT'),
  /** `pop3://HOST:PORT`, `pop3s://…`, `imap://…`, `imaps://…`. */
  upstream: z
    .string()
    .regex(
      /^(pop3|pop3s|imap|imaps):\/\/[^\s/:]+(?::\d{1,5})?\/?$/,
      'Upstream is pop3|pop3s|imap|imaps://HOST:PORT',
    ),
});
export type Route = z.infer<typeof route>;

export const settingsSchema = z
  .object({
    webAndEmail: WEB_AND_EMAIL,
    scanner,
    routes: z.array(route).default([]),
    notifications: z.object({ enabled: z.boolean().default(true) }).prefault({}),
    /** Desktop app only: start at login (packaged builds register it; development runs never do). */
    desktop: z.object({ autostart: z.boolean().default(true) }).prefault({}),
    console: z
      .object({
        /** Port of the headless settings console on 127.0.0.1. */
        port: z.number().int().min(1).max(65535).default(8765),
      })
      .prefault({}),
  })
  .prefault({});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
