// The contract every scan backend meets (built-in now, ClamAV later): verdicts per part.

export type Verdict =
  | { kind: 'clean' }
  | { kind: 'infected'; threat: string; heuristic: boolean }
  | { kind: 'unscannable'; reason: string };

export interface ScanLimits {
  maxMessageSize: number;
  archiveDepth: number;
  archiveExpansionRatio: number;
  archiveTotalSize: number;
  maxScanTimeMs: number;
}

/** What a backend is asked to look at: one decoded leaf object (a MIME part body or an archive member). */
export interface ScanObject {
  data: Buffer;
  /** File name as the message or archive names it, if any. */
  filename?: string;
  contentType?: string;
  /** Human path of the object: `2` (MIME part), `2/inner.zip/evil.com` (archive member). */
  path: string;
  /** Nesting of archives and attached messages around the object (a top-level part is 0). */
  depth?: number;
  /** The object was taken out of an archive (a zip member). */
  inArchive?: boolean;
}

export interface ScanBackend {
  readonly name: string;
  scan(object: ScanObject, signal: AbortSignal): Promise<Verdict>;
}

/** The verdict of one MIME part of a message (leaf or container), with what it contained. */
export interface PartVerdict {
  /** IMAP-style part number (`1`, `2.1`); `TEXT`-level parts of a single-part message are `1`. */
  part: string;
  contentType: string;
  filename?: string;
  verdict: Verdict;
  /** Where inside the part the finding was (archive member path), if deeper than the part. */
  detail?: string;
}

export interface MessageScanResult {
  verdict: 'clean' | 'infected' | 'unscannable';
  parts: PartVerdict[];
  /** Names of everything detected, in order found. */
  threats: string[];
  /** Reasons something could not be scanned. */
  unscannable: string[];
  bytes: number;
  durationMs: number;
  /** Malformed structure noticed while walking (informational; the bytes were still scanned). */
  problems?: string[];
}
