// What the settings UI shows for each key: label, help line, control, page of the "Advanced setup" tree.
// Validation is not here — the schema (schema.ts) decides what is valid; the UI is generated from both.
import { settingKeys } from './text-values.ts';

export type PageId =
  | 'webAndEmail'
  | 'emailClientProtection'
  | 'emailProtocols'
  | 'alerts'
  | 'sslTls'
  | 'protocolFiltering'
  | 'scanner'
  | 'routes'
  | 'interface';

export interface PageMeta {
  id: PageId;
  title: string;
  parent: PageId | null;
  /** One sentence under the page title. */
  description: string;
}

/** Tree order: a parent comes before its children. */
export const PAGES: readonly PageMeta[] = [
  {
    id: 'webAndEmail',
    title: 'Web and email',
    parent: null,
    description: 'How Mailward inspects the mail your email programs receive.',
  },
  {
    id: 'emailClientProtection',
    title: 'Email client protection',
    parent: 'webAndEmail',
    description: 'What happens to infected mail your email programs download.',
  },
  {
    id: 'emailProtocols',
    title: 'Email protocols',
    parent: 'emailClientProtection',
    description: 'Which mail protocols are checked, and on which ports.',
  },
  {
    id: 'alerts',
    title: 'Alerts and notifications',
    parent: 'emailClientProtection',
    description: 'How checked and infected mail is marked for you.',
  },
  {
    id: 'sslTls',
    title: 'SSL/TLS',
    parent: 'webAndEmail',
    description: 'Checking encrypted connections, and how server certificates are trusted.',
  },
  {
    id: 'protocolFiltering',
    title: 'Protocol filtering',
    parent: 'webAndEmail',
    description: 'Programs and servers whose traffic Mailward leaves alone.',
  },
  {
    id: 'scanner',
    title: 'Scanner limits',
    parent: null,
    description: 'Limits that keep scanning fast and safe from archive bombs.',
  },
  {
    id: 'routes',
    title: 'Routes',
    parent: null,
    description: 'Local listeners your email program connects to instead of the mail server.',
  },
  {
    id: 'interface',
    title: 'User interface',
    parent: null,
    description: 'Desktop notifications, start at login, and the browser console of the headless service.',
  },
];

export type Control =
  | 'toggle'
  | 'choice'
  | 'ports'
  | 'template'
  | 'text'
  | 'list'
  | 'addresses'
  | 'number'
  | 'routes'
  | 'certificateRules';

export interface SettingMeta {
  page: PageId;
  /** Heading of a group of settings within the page. */
  section?: string;
  label: string;
  /** One plain-words line under the control. */
  help: string;
  control: Control;
  options?: readonly { value: string; label: string }[];
  /** Unit shown next to a number. */
  unit?: 'bytes' | 'ms' | 'times' | 'levels';
  /** A setting that only matters while this boolean key is on. */
  dependsOn?: string;
}

const EP = 'webAndEmail.emailClientProtection.emailProtocols';
const AL = 'webAndEmail.emailClientProtection.alerts';
const SSL = 'webAndEmail.sslTls';
const PF = 'webAndEmail.protocolFiltering';
const LIM = 'scanner.limits';

const protocolMeta = (proto: 'imap' | 'imaps' | 'pop3' | 'pop3s', label: string, portsHelp: string) => ({
  [`${EP}.${proto}.enabled`]: {
    page: 'emailProtocols',
    section: label,
    label: `Enable ${label} checking`,
    help: `Scan mail downloaded over ${label}.`,
    control: 'toggle',
    dependsOn: `${EP}.enabled`,
  },
  [`${EP}.${proto}.ports`]: {
    page: 'emailProtocols',
    section: label,
    label: `Ports used by ${label}`,
    help: portsHelp,
    control: 'ports',
    dependsOn: `${EP}.${proto}.enabled`,
  },
});

export const SETTINGS_META: Record<string, SettingMeta> = {
  [`${EP}.enabled`]: {
    page: 'emailProtocols',
    label: 'Enable email protection by protocol filtering',
    help: 'Check POP3 and IMAP mail as your email program downloads it.',
    control: 'toggle',
  },
  ...(protocolMeta(
    'imap',
    'IMAP',
    'Comma-separated. Plain IMAP is recognised by its content on any port; these are the usual ones.',
  ) as Record<string, SettingMeta>),
  ...(protocolMeta(
    'imaps',
    'IMAPS',
    'Comma-separated. Encrypted IMAP is checked only on these ports.',
  ) as Record<string, SettingMeta>),
  ...(protocolMeta(
    'pop3',
    'POP3',
    'Comma-separated. Plain POP3 is recognised by its content on any port; these are the usual ones.',
  ) as Record<string, SettingMeta>),
  ...(protocolMeta(
    'pop3s',
    'POP3S',
    'Comma-separated. Encrypted POP3 is checked only on these ports.',
  ) as Record<string, SettingMeta>),
  [`${AL}.tagMessages`]: {
    page: 'alerts',
    label: 'Append tag messages to received and read email',
    help: 'A header (and, for infected mail, a note) tells you the message was checked.',
    control: 'choice',
    options: [
      { value: 'never', label: 'Never' },
      { value: 'infected', label: 'To infected email only' },
      { value: 'all', label: 'To all scanned email' },
    ],
  },
  [`${AL}.subjectTag`]: {
    page: 'alerts',
    label: 'Append note to the subject of received and read infected email',
    help: 'You see at a glance in your inbox which messages were cleaned.',
    control: 'toggle',
  },
  [`${AL}.subjectTemplate`]: {
    page: 'alerts',
    label: 'Text to add to the subject of infected email',
    help: '%DETECTIONNAME% is replaced by the name of what was found.',
    control: 'template',
    dependsOn: `${AL}.subjectTag`,
  },
  'webAndEmail.emailClientProtection.actionOnInfected': {
    page: 'emailClientProtection',
    label: 'Action on infected email',
    help: 'Removed parts are replaced by a short notice; the original is kept in quarantine.',
    control: 'choice',
    options: [
      { value: 'removePart', label: 'Remove the infected part' },
      { value: 'tagOnly', label: 'Only mark the message' },
    ],
  },
  'webAndEmail.emailClientProtection.heuristics': {
    page: 'emailClientProtection',
    label: 'Suspicious (heuristic) findings',
    help: 'Heuristics catch unknown threats but are sometimes wrong.',
    control: 'choice',
    options: [
      { value: 'asInfected', label: 'Handle as infected' },
      { value: 'tagOnly', label: 'Only mark the message' },
    ],
  },
  [`${SSL}.enabled`]: {
    page: 'sslTls',
    label: 'Enable SSL/TLS protocol filtering',
    help: 'Without it, encrypted mail (IMAPS, POP3S, STARTTLS) passes unchecked.',
    control: 'toggle',
  },
  [`${SSL}.mode`]: {
    page: 'sslTls',
    label: 'SSL/TLS protocol filtering mode',
    help: 'Automatic: the certificate validity settings decide. Interactive: a certificate that fails verification is always asked about (headless: blocked and listed below). Policy: only rules and validity settings decide, never asks.',
    control: 'choice',
    options: [
      { value: 'automatic', label: 'Automatic mode' },
      { value: 'interactive', label: 'Interactive mode' },
      { value: 'policy', label: 'Policy mode' },
    ],
    dependsOn: `${SSL}.enabled`,
  },
  [`${SSL}.unverifiedCertificate`]: {
    page: 'sslTls',
    section: 'Certificate validity',
    label: 'If the certificate cannot be verified using the trusted root store',
    help: 'For example a self-signed server certificate. The headless service blocks when it would ask.',
    control: 'choice',
    options: [
      { value: 'ask', label: 'Ask about certificate validity' },
      { value: 'allow', label: 'Allow communication that uses the certificate' },
      { value: 'block', label: 'Block communication that uses the certificate' },
    ],
    dependsOn: `${SSL}.enabled`,
  },
  [`${SSL}.invalidCertificate`]: {
    page: 'sslTls',
    section: 'Certificate validity',
    label: 'If the certificate is invalid or corrupt',
    help: 'Expired, for another server, or badly signed. Blocking is recommended.',
    control: 'choice',
    options: [
      { value: 'ask', label: 'Ask about certificate validity' },
      { value: 'block', label: 'Block communication that uses the certificate' },
    ],
    dependsOn: `${SSL}.enabled`,
  },
  [`${SSL}.blockObsoleteProtocols`]: {
    page: 'sslTls',
    label: 'Block encrypted communication using the obsolete protocols',
    help: 'Refuse servers that only speak TLS 1.0 or 1.1.',
    control: 'toggle',
    dependsOn: `${SSL}.enabled`,
  },
  [`${SSL}.trustedCertificates`]: {
    page: 'sslTls',
    label: 'Trusted certificates',
    help: 'Extra CA certificates for your mail servers: one file path or PEM block per line.',
    control: 'list',
    dependsOn: `${SSL}.enabled`,
  },
  [`${SSL}.certificateRules`]: {
    page: 'sslTls',
    label: 'Certificate rules',
    help: 'Server certificates always allowed or blocked, before the validity settings apply. Remembered answers are added here.',
    control: 'certificateRules',
    dependsOn: `${SSL}.enabled`,
  },
  [`${PF}.enabled`]: {
    page: 'protocolFiltering',
    label: 'Enable application protocol content filtering',
    help: 'Turning this off stops all mail checking.',
    control: 'toggle',
  },
  [`${PF}.excludedApplications`]: {
    page: 'protocolFiltering',
    label: 'Excluded applications',
    help: 'Programs on this computer whose mail is not checked: a full path (/usr/bin/thunderbird) or a program name (thunderbird), one per line. Linux; a program that cannot be identified is checked.',
    control: 'list',
    dependsOn: `${PF}.enabled`,
  },
  [`${PF}.excludedAddresses`]: {
    page: 'protocolFiltering',
    label: 'Excluded IP addresses',
    help: 'Mail to or from these addresses is neither scanned nor TLS-intercepted: 10.0.0.5, 192.168.0.1 - 192.168.0.99, 192.168.1.0/24, 2002:c0a8:6301:1::1/64 (one per line or separated by commas).',
    control: 'addresses',
    dependsOn: `${PF}.enabled`,
  },
  [`${LIM}.maxMessageSize`]: {
    page: 'scanner',
    label: 'Maximum message size',
    help: 'Larger messages are delivered unscanned, with a warning tag.',
    control: 'number',
    unit: 'bytes',
  },
  [`${LIM}.archiveDepth`]: {
    page: 'scanner',
    label: 'Archive nesting level',
    help: 'How deep archives and attached messages inside each other are opened.',
    control: 'number',
    unit: 'levels',
  },
  [`${LIM}.archiveExpansionRatio`]: {
    page: 'scanner',
    label: 'Archive expansion ratio limit',
    help: 'An archive member that grows more than this many times its packed size is treated as a bomb.',
    control: 'number',
    unit: 'times',
  },
  [`${LIM}.archiveTotalSize`]: {
    page: 'scanner',
    label: 'Maximum unpacked size per message',
    help: 'Total bytes unpacked from archives in one message.',
    control: 'number',
    unit: 'bytes',
  },
  [`${LIM}.maxScanTimeMs`]: {
    page: 'scanner',
    label: 'Maximum scan time per message',
    help: 'A message that takes longer is handled as unscannable.',
    control: 'number',
    unit: 'ms',
  },
  'scanner.onUnscannable': {
    page: 'scanner',
    label: 'What cannot be scanned',
    help: 'Encrypted archives, limits reached, scanner errors. Mail is never silently dropped.',
    control: 'choice',
    options: [
      { value: 'deliverTagged', label: 'Deliver it with a warning tag' },
      { value: 'removePart', label: 'Remove the part (original kept in quarantine)' },
    ],
  },
  routes: {
    page: 'routes',
    label: 'Routes',
    help: 'One LISTEN=UPSTREAM per line, e.g. 127.0.0.1:1995=pop3s://mail.example.com:995.',
    control: 'routes',
  },
  'notifications.enabled': {
    page: 'interface',
    label: 'Show desktop notifications on detections',
    help: 'A notification names the threat and the message it was found in.',
    control: 'toggle',
  },
  'desktop.autostart': {
    page: 'interface',
    label: 'Start Mailward when you log in',
    help: 'The desktop app starts in the background at login, so mail is checked from the first fetch.',
    control: 'toggle',
  },
  'console.port': {
    page: 'interface',
    label: 'Console port',
    help: 'Port of the settings console on 127.0.0.1 (headless service); used at the next start.',
    control: 'number',
  },
};

/** Metadata for a key; keys added to the schema without metadata still get a usable field. */
export function settingMeta(key: string): SettingMeta {
  const meta = SETTINGS_META[key];
  if (meta) return meta;
  const last = key.split('.').pop() ?? key;
  return {
    page: PAGES.find((p) => key.startsWith(p.id))?.id ?? 'interface',
    label: last.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
    help: key,
    control: 'text',
  };
}

/** The keys shown on a page, in schema order. */
export function pageKeys(page: PageId): string[] {
  return settingKeys().filter((k) => settingMeta(k).page === page);
}

export function pageMeta(id: PageId): PageMeta {
  return PAGES.find((p) => p.id === id)!;
}

export function childPages(id: PageId | null): PageMeta[] {
  return PAGES.filter((p) => p.parent === id);
}

/** Page, its parents, up to the root: for breadcrumbs. */
export function pagePath(id: PageId): PageMeta[] {
  const path: PageMeta[] = [];
  for (let p: PageMeta | undefined = pageMeta(id); p; p = p.parent ? pageMeta(p.parent) : undefined)
    path.unshift(p);
  return path;
}

/** The subject note as the user will see it, with an example detection name. */
export function previewSubjectTemplate(template: string, detection = 'Eicar-Test-Signature'): string {
  return template.replace(/%DETECTIONNAME%|%VIRUSNAME%/g, detection);
}
