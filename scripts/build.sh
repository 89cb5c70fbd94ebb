#!/usr/bin/env bash
# Release build of both pages into dist/: the customer kiosk at /, the
# manager page (setup, PIN pad, manager view) at /manager/. Two builds, so
# customers never download the manager's code. The kiosk build empties
# dist/, so it goes first; the offline shell's service worker is written
# last, listing every file of both.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release
trunk build --release=true --dist dist/manager --public-url /manager/ manager.html
node scripts/minify.mjs dist
node scripts/sw.mjs dist
