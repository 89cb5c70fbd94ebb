#!/usr/bin/env bash
# Installs what building, running and testing the kiosk needs, skipping what is
# already there at the right version. Safe to run again; `make` runs it first.
#
# Known to work on Debian 12 with rustup's stable Rust (see docs/development.md):
#   wasm target, Trunk 0.21.14, wasm-bindgen-cli = the Cargo.lock version,
#   Debian's chromium + chromium-driver + postgresql, npm packages (Playwright, binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm not found; install Node.js 20+ first" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install --locked --force "trunk@$TRUNK_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION"
  # Not --locked: its lock file pins a crate the registry no longer has.
  cargo install --force "wasm-bindgen-cli@$BINDGEN_VERSION"
fi

# Debian packages: Chromium for browser tests, PostgreSQL for the collector's
# tests on its second engine (they start a throwaway cluster of their own),
# Python's pip for the mail tests' SMTP server, openssl for their certificates.
packages=()
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || packages+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
python3 -m pip --version >/dev/null 2>&1 || packages+=(python3 python3-pip)
command -v openssl >/dev/null || packages+=(openssl)
if [ ${#packages[@]} -gt 0 ]; then
  say "installing ${packages[*]} from Debian"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
fi

# A real SMTP server for the collector's mail tests (aiosmtpd, from PyPI).
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  say "installing aiosmtpd (the mail tests' SMTP server)"
  python3 -m pip install --quiet aiosmtpd 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages aiosmtpd
fi

# npm ci only when package-lock.json changed since the last install.
if ! [ node_modules/.setup-stamp -nt package-lock.json ]; then
  say "installing npm packages (Playwright, wasm-opt)"
  npm ci --no-audit --no-fund
  touch node_modules/.setup-stamp
fi
