// Registers the POP3 layer for pop3/pop3s sessions (session.ts looks it up in protocols.ts).
import { registerLayer } from '../protocols.ts';
import { Pop3Layer } from './layer.ts';

registerLayer('pop3', (ctx) => new Pop3Layer(ctx));

export { Pop3Layer };
