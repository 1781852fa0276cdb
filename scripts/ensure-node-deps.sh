#!/usr/bin/env bash
# npm ci when node_modules is missing or older than the lock file. Electron's binary cannot be
# downloaded on every machine; the desktop shell is tested against a fake electron module.
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
