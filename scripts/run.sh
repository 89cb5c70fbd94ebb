#!/usr/bin/env bash
# `make run`: build the kiosk and the collector, enroll the local kiosk, and
# serve both on one origin, http://127.0.0.1:8080.
#
# Local state lives in .data/: the SQLite database and the local kiosk's
# one-time enrollment code, which the kiosk exchanges once for its token (the
# token itself is in no file; the collector keeps only hashes). Delete .data/
# (and the browser's site data) to start afresh. Override with
# FEEDBACK_LISTEN (address) and FEEDBACK_DATA (folder).
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${FEEDBACK_LISTEN:-127.0.0.1:8080}"
data="${FEEDBACK_DATA:-.data}"
db="$data/collector.sqlite"
code_file="$data/enrollment-code"
collector=target/server/feedback-collector

scripts/build.sh
cargo build --profile server -p feedback-collector

mkdir -p "$data"
store_id=$(node -p 'require("./kiosk.json").store_id')
kiosk_id=$(node -p 'require("./kiosk.json").kiosk_id')
# A code is good for 24 hours: past 23, or with a new database, enroll anew.
if [[ ! -s "$code_file" || ! -s "$db" || -n "$(find "$code_file" -mmin +1380)" ]]; then
  umask 077
  "$collector" --db "$db" kiosk enroll --kiosk "$kiosk_id" --store "$store_id" >"$code_file.new"
  mv "$code_file.new" "$code_file"
fi

# The kiosk reads its settings from kiosk.json beside it, and exchanges the
# enrollment code (good once, for 24 hours) for its token.
ENROLLMENT_CODE="$(cat "$code_file")" node -e '
  const fs = require("fs");
  const settings = JSON.parse(fs.readFileSync("kiosk.json", "utf8"));
  settings.enrollment_code = process.env.ENROLLMENT_CODE.trim();
  fs.writeFileSync("dist/kiosk.json", JSON.stringify(settings, null, 2) + "\n");
'

# A first dashboard account, for every store, with a random password kept
# (readable only by this user) in $data/dashboard-password.
password_file="$data/dashboard-password"
if [[ -z "$("$collector" --db "$db" user list --json)" ]]; then
  umask 077
  node -e 'process.stdout.write(require("crypto").randomBytes(15).toString("base64url"))' >"$password_file"
  "$collector" --db "$db" user create admin --all-stores <"$password_file"
fi

echo "Kiosk and collector on http://$listen (database $db)."
if [[ -s "$password_file" ]]; then
  echo "Dashboard: http://$listen/dashboard/ - sign in as admin with the password in $password_file"
fi
echo "Manager token for reports: $collector --db $db token create --manager"
# Plain HTTP on this machine only: the session cookie cannot be Secure.
exec "$collector" --db "$db" serve --listen "$listen" --kiosk-dir dist --insecure-cookies
