#!/usr/bin/env bash
# Quick local gate before a commit: strict typecheck and lint, with their exit codes honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
npx biome check --write . >/dev/null 2>&1 || true
npx tsc --noEmit -p .
npx biome check . >/dev/null 2>&1 || { npx biome check . 2>&1 | grep -E "×|━━" | head -20; exit 1; }
echo "typecheck and lint clean"
