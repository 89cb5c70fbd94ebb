#!/usr/bin/env bash
# `make run`: build the kiosk and the collector, provision a kiosk token for
# the local kiosk, and serve both on one origin, http://127.0.0.1:8080.
#
# Local state lives in .data/: the SQLite database and the kiosk's token
# (the collector itself keeps only the token's hash). Delete .data/ to start
# afresh. Override with FEEDBACK_LISTEN (address) and FEEDBACK_DATA (folder).
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${FEEDBACK_LISTEN:-127.0.0.1:8080}"
data="${FEEDBACK_DATA:-.data}"
db="$data/collector.sqlite"
token_file="$data/kiosk-token"
collector=target/server/feedback-collector

scripts/build.sh
cargo build --profile server -p feedback-collector

mkdir -p "$data"
store_id=$(node -p 'require("./kiosk.json").store_id')
kiosk_id=$(node -p 'require("./kiosk.json").kiosk_id')
if [[ ! -s "$token_file" || ! -s "$db" ]]; then
  umask 077
  "$collector" --db "$db" token create --kiosk "$kiosk_id" --store "$store_id" >"$token_file.new"
  mv "$token_file.new" "$token_file"
fi

# The kiosk reads its settings, token included, from kiosk.json beside it.
KIOSK_TOKEN="$(cat "$token_file")" node -e '
  const fs = require("fs");
  const settings = JSON.parse(fs.readFileSync("kiosk.json", "utf8"));
  settings.token = process.env.KIOSK_TOKEN;
  fs.writeFileSync("dist/kiosk.json", JSON.stringify(settings, null, 2) + "\n");
'

echo "Kiosk and collector on http://$listen (database $db)."
echo "Manager token for reports: $collector --db $db token create --manager"
exec "$collector" --db "$db" serve --listen "$listen" --kiosk-dir dist
