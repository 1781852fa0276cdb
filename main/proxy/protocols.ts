// Which sans-I/O layer handles which protocol. session.ts looks layers up here.
import type { MailProtocolName } from '../pipeline/types.ts';
import type { LayerFactory } from './layer.ts';

const factories = new Map<'pop3' | 'imap', LayerFactory>();

export function registerLayer(family: 'pop3' | 'imap', factory: LayerFactory): void {
  factories.set(family, factory);
}

export function layerFor(protocol: MailProtocolName): LayerFactory | undefined {
  return factories.get(protocol.startsWith('pop3') ? 'pop3' : 'imap');
}
