// Sans-I/O protocol layers (style: mitmproxy's proxy/layers). A layer is fed events
// (bytes from either side, TLS done, a side closed) and emits commands; only server.ts, session.ts and
// session-tls.ts touch sockets.
import type { Settings } from '../../shared/settings/index.ts';
import type { MailProtocolName, ProcessMessage } from '../pipeline/types.ts';

export type ProxyCommand =
  | { type: 'toClient'; data: Buffer }
  | { type: 'toServer'; data: Buffer }
  /** Do TLS with the upstream server now (after STLS/STARTTLS was accepted upstream); answer with onServerTls*. */
  | { type: 'upgradeServerTls' }
  /** Do TLS with the client now, presenting a certificate minted to mirror the upstream one. */
  | { type: 'upgradeClientTls' }
  /** Stop filtering this session: relay raw bytes both ways from here on (after flushing what was emitted). */
  | { type: 'relay'; reason: string }
  /** Close both sides after flushing what was emitted. */
  | { type: 'close'; reason: string }
  /** Stop reading from the server for now (the layer holds enough unprocessed data). Added for POP3/IMAP
   * back-pressure; session.ts also pauses on its own when a socket's write buffer is full. */
  | { type: 'pauseServer' }
  /** Resume reading from the server after pauseServer. */
  | { type: 'resumeServer' }
  | {
      type: 'log';
      level: 'debug' | 'info' | 'warn' | 'error';
      event: string;
      fields?: Record<string, unknown>;
    };

export interface SessionInfo {
  id: string;
  protocol: MailProtocolName;
  /** Upstream host (SNI/route host) and port. */
  serverHost: string;
  serverPort: number;
  clientAddress: string;
  /** Whether the client and server legs are currently inside TLS. */
  clientTls: boolean;
  serverTls: boolean;
}

export interface LayerContext {
  session: SessionInfo;
  emit(command: ProxyCommand): void;
  /** Scan and clean one message (engine pipeline). */
  processMessage: ProcessMessage;
  /** Settings at the time of the call (they apply live). */
  settings(): Settings;
  /** Whether scanning is on for this session (protocol toggle, pause); checked at session start. */
  filtering: boolean;
}

export interface ProxyLayer {
  onClientData(data: Buffer): void;
  onServerData(data: Buffer): void;
  onServerTlsReady(): void;
  onServerTlsFailed(reason: string): void;
  onClientTlsReady(): void;
  /**
   * Optional (added with server.ts): the upstream TCP connection could not be made (refused, timeout,
   * DNS). The layer tells the client in protocol words (POP3 `-ERR …`, IMAP `* BYE …`) and emits close.
   * Without it, session.ts just closes the client. For implicit-TLS routes session-tls.ts calls
   * onServerTlsFailed(reason) before any server byte when the upstream certificate is refused: the client
   * leg is already TLS then, so the layer's `-ERR`/`* BYE` reaches the user.
   */
  onServerConnectFailed?(reason: string): void;
  onClientClosed(): void;
  onServerClosed(): void;
}

export type LayerFactory = (ctx: LayerContext) => ProxyLayer;
