#!/usr/bin/env bash
# Release build of both pages into dist/: the customer kiosk at /, the
# manager page (setup, PIN pad, manager view) at /manager/, and the chain
# dashboard the collector serves at /dashboard/. Separate builds, so
# customers never download the manager's code. The kiosk's offline shell
# leaves the dashboard out. The kiosk build empties
# dist/, so it goes first; the offline shell's service worker is written
# last, listing every file of both.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release
trunk build --release=true --dist dist/manager --public-url /manager/ manager.html
trunk build --release=true --dist dist/dashboard --public-url /dashboard/ dashboard.html
node scripts/trim-wasm.mjs dist
node scripts/short-names.mjs dist
node scripts/minify.mjs dist
node scripts/sw.mjs dist
