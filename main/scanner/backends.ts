// The scan backends an engine uses: the built-in backend with DATA_DIR/signatures.
import { join } from 'node:path';
import { BuiltinBackend } from './builtin/backend.ts';
import { SignatureStore } from './builtin/signatures.ts';
import type { ScanBackend } from './types.ts';

export function defaultBackends(dataDir: string, onWarning?: (msg: string) => void): ScanBackend[] {
  return [new BuiltinBackend(new SignatureStore(join(dataDir, 'signatures'), onWarning))];
}
