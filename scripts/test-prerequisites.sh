#!/usr/bin/env bash
# Installs what the tests need and is missing, so that no test installs anything: Debian's Chromium
# (BrowserTest) and the Node packages of src/test/sdk (StackOneSdkTest), src/test/browser (BrowserTest),
# src/test/webhooks (WebhookSignaturesTest) and src/test/live (GraphQLSubscriptionsTest, EventBusBridgeTest),
# from their committed lockfiles. Idempotent, and silent when nothing is missing. `make test` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
NODE_PROJECTS=(src/test/sdk src/test/browser src/test/webhooks src/test/live)
# written into node_modules after `npm ci`: the lockfile it was installed from
MARKER=.ats-lockfile-sha256

fail() {
  echo "test-prerequisites: $*" >&2
  exit 1
}

# Node.js 18+ and npm run StackOne's SDK and drive the browser
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are needed (Node.js 18 or later). Debian: apt-get install nodejs npm; or https://nodejs.org"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  fail "Node.js 18 or later is needed, this is $(node --version). Install a newer one (https://nodejs.org)"
fi

# Debian's Chromium: playwright-core drives it and downloads no browser of its own
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "$CHROMIUM is missing and this is not root: install Debian's chromium (sudo apt-get install -y chromium), then run $0 again"
  fi
  echo "test-prerequisites: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y chromium || (apt-get update && apt-get install -y chromium)
  [ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is still missing"
fi

# the Node packages, exactly as locked; again only when the lockfile changed since the last install
for project in "${NODE_PROJECTS[@]}"; do
  [ -f "$project/package-lock.json" ] || fail "$project/package-lock.json is missing"
  wanted=$(sha256sum "$project/package-lock.json" | cut -d' ' -f1)
  installed=$(cat "$project/node_modules/$MARKER" 2>/dev/null || true)
  if [ "$wanted" != "$installed" ]; then
    echo "test-prerequisites: npm ci in $project" >&2
    (cd "$project" && npm ci --no-audit --no-fund)
    echo "$wanted" > "$project/node_modules/$MARKER"
  fi
done
