#!/usr/bin/env bash
# Sets up the real-editor test harness from this repository's files only: Debian packages, the ripgrep cache
# file that stands in for a GitHub download, and code-server (a real VS Code: server, Node extension host, web
# workbench) under .vscode-test/ (CODE_SERVER_DIR overrides). Idempotent: does nothing when all is in place.
# Exit codes: 0 ready; 3 this machine cannot host it (not Linux, no apt, not root/sudo, wrong Node): the caller
# then tries @vscode/test-electron; anything else is a real failure.
set -euo pipefail

CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"  # VS Code 1.100.3: the newest code-server whose postinstall accepts Node 20
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEST="${CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server}"
BIN="$DEST/node_modules/.bin/code-server"
PACKAGES=(chromium ripgrep libkrb5-dev g++ make python3)

cannot() { echo "e2e setup: $*" >&2; exit 3; }

have_packages() { for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || return 1; done; }

# Read the version from the package: `code-server --version` would write a default config into ~/.config.
installed_version() { node -p "require('$DEST/node_modules/code-server/package.json').version" 2>/dev/null || true; }

if [ -x "$BIN" ] && [ "$(installed_version)" = "$CS_VERSION" ] && have_packages; then
  echo "e2e setup: code-server $CS_VERSION ready ($BIN)"
  exit 0
fi

[ "$(uname -s)" = Linux ] || cannot "code-server is set up on Linux only (this is $(uname -s))."
command -v apt-get >/dev/null && command -v dpkg >/dev/null || cannot "no apt-get: Debian or Ubuntu is needed to install chromium, ripgrep and build tools."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || cannot "code-server $CS_VERSION installs on Node 20 only (this is Node $node_major)."
SUDO=
if [ "$(id -u)" != 0 ]; then
  sudo -n true 2>/dev/null || cannot "installing Debian packages needs root or password-less sudo."
  SUDO=sudo
fi

started=$(date +%s)

# 1. Debian packages: chromium drives the web workbench; ripgrep replaces @vscode/ripgrep's GitHub download;
#    krb5 headers and a C++ toolchain build code-server's native modules (no prebuilt binaries can be fetched).
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.3) downloads rg 13.0.0 from GitHub unless this cache
#    file exists; Debian bookworm ships the same ripgrep 13.0.0.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_archive="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$rg_archive" ]; then
  mkdir -p "$rg_cache"
  staging=$(mktemp -d)
  cp "$(command -v rg)" "$staging/rg"
  tar czf "$rg_archive" -C "$staging" rg
  rm -rf "$staging"
fi

# 3. code-server from npm, in its own folder (never in the extension's dependencies: its postinstall wants
#    exactly Node 20 and unsafe-perm, and it would end up in the .vsix). unsafe_perm: its postinstall refuses
#    root without it; yes: node-pty's postinstall runs `npx node-gyp`.
mkdir -p "$DEST"
cd "$DEST"
if [ ! -f package.json ]; then
  cat > package.json <<'JSON'
{ "name": "login-policy-lint-code-server", "private": true,
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
fi
echo "e2e setup: npm install code-server@$CS_VERSION into $DEST (about a minute)"
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >/dev/null
[ "$(installed_version)" = "$CS_VERSION" ] || { echo "e2e setup: code-server $CS_VERSION did not install" >&2; exit 1; }
echo "e2e setup: code-server $CS_VERSION installed in $(( $(date +%s) - started )) s"
