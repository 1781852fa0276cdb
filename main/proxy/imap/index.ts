// Registers the IMAP layer with the proxy server (imported once by app/service/index.ts).
import { registerLayer } from '../protocols.ts';
import { ImapLayer } from './layer.ts';

registerLayer('imap', (ctx) => new ImapLayer(ctx));

export { ImapLayer };
