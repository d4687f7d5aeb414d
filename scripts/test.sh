#!/usr/bin/env bash
# `npm test`: everything, on a fresh machine too. Installs what it needs on first use (npm packages,
# Debian packages for the Spring Boot apps and the browser, code-server), then runs: type-check, layer
# lint, build, unit, integration (loopback servers + real Spring Boot 3.5 and 4.0), the extension-host suite in
# a real VS Code, and the UI tests. Prints one closing line: "N passed, N failed".
set -uo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

step() { printf '\n=== %s\n' "$*"; }
die() { echo "npm test: $*" >&2; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages"
  npm ci || die "npm ci failed"
fi

step "type-check, layer lint, build"
npx tsc -p tsconfig.json --noEmit || die "type-check failed"
[ ! -f src/webview/tsconfig.json ] || npx tsc -p src/webview/tsconfig.json --noEmit || die "webview type-check failed"
node scripts/check-boundaries.mjs || die "layer lint failed"
node esbuild.mjs >/dev/null || die "build failed"

passed=0; failed=0
log=$(mktemp)
# Runs one node:test stage and adds its counts to the totals.
stage() {
  local name=$1; shift
  step "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(grep -E '^[^ ]+ pass [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  f=$(grep -E '^[^ ]+ fail [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); echo "stage '$name' failed (exit $status)"; fi
}

run_tests() { node --import tsx --test --test-reporter=spec "$@"; }

stage "unit tests" run_tests test/unit/**/*.test.ts
if compgen -G "test/integration/**/*.test.ts" >/dev/null; then
  bash scripts/ensure-test-packages.sh || die "could not install the Debian packages for the integration tests (JDK, Maven)"
  stage "integration tests (loopback servers, real Spring Boot 3.5 and 4.0)" run_tests --test-concurrency=1 test/integration/**/*.test.ts
fi
# Before anything else installs into the cache: on a fresh machine (and in CI, whose cache starts
# empty) this proves that `npm start` installs the VS Code it needs by itself.
stage "npm start, as on a fresh machine" run_tests test/start/*.test.ts
if compgen -G "test/vscode/*.test.ts" >/dev/null || compgen -G "test/e2e/*.test.ts" >/dev/null; then
  bash scripts/ensure-code-server.sh >/dev/null || die "could not install code-server (the real VS Code)"
  compgen -G "test/vscode/*.test.ts" >/dev/null && stage "extension-host suite in a real VS Code" run_tests --test-concurrency=1 test/vscode/*.test.ts
  compgen -G "test/e2e/*.test.ts" >/dev/null && stage "UI tests (Chromium + code-server)" run_tests --test-concurrency=1 test/e2e/*.test.ts
fi
rm -f "$log"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
