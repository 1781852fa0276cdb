#!/usr/bin/env bash
# Set up (Node dependencies) and run Mailward.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
exec node bin/mailward.js run "$@"
