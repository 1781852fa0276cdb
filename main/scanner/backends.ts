// The scan backends an engine uses. STUB: the built-in backend (issue 2) is registered here.
import type { ScanBackend } from './types.ts';

export function defaultBackends(_dataDir: string): ScanBackend[] {
  return [];
}
