#!/usr/bin/env bash
# Set up (Node dependencies) and run Mailward: the desktop app, or the headless service.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
# The desktop app where Electron can run; elsewhere one line saying why, then the headless service.
if why=$(node --import tsx app/electron/can-run-desktop.ts); then
  exec npm run --silent desktop -- "$@"
fi
echo "${why:-mailward: could not check for Electron; running the headless service instead}" >&2
exec node bin/mailward.js run "$@"
