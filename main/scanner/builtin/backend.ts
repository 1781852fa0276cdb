// The built-in scan backend: the EICAR test file, the user's signature files, then heuristics.
import type { ScanBackend, ScanObject, Verdict } from '../types.ts';
import { heuristicFinding } from './heuristics.ts';
import type { SignatureStore } from './signatures.ts';

/** The standard anti-virus test file; its standard name is `Eicar-Test-Signature`. */
export const EICAR = Buffer.from(
  'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
  'latin1',
);
export const EICAR_NAME = 'Eicar-Test-Signature';

export class BuiltinBackend implements ScanBackend {
  readonly name = 'builtin';

  constructor(private readonly signatures?: SignatureStore) {}

  async scan(object: ScanObject): Promise<Verdict> {
    // Found anywhere, not only at offset 0: a test string inside text must be caught too.
    if (object.data.includes(EICAR)) return { kind: 'infected', threat: EICAR_NAME, heuristic: false };
    this.signatures?.refresh();
    const signature = this.signatures?.match(object.data);
    if (signature) return { kind: 'infected', threat: signature, heuristic: false };
    const heuristic = heuristicFinding(object);
    if (heuristic) return { kind: 'infected', threat: heuristic, heuristic: true };
    return { kind: 'clean' };
  }
}
