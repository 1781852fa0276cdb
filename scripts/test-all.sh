#!/usr/bin/env bash
# The whole test suite: type check, lint, format, unit/integration/real-client e2e (Vitest),
# browser e2e (Playwright with Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
bash scripts/ensure-node-deps.sh
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check .
npm run build:renderer  # the console and the browser tests serve dist/renderer
npx vitest run
npx playwright test
