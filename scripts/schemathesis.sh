#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI description with Schemathesis.
#
# Starts `portico serve` on a fresh temporary SQLite database, creates a staff administrator
# and a customer administrator with API tokens, adds a few records so that ids exist, then runs
# Schemathesis twice against http://127.0.0.1:PORT/api/openapi.json:
#   1. as the customer administrator, over the customer users' routes (tags "Profile (customer
#      users)" and "Portal data (customer users)");
#   2. as the staff administrator, over every staff route (ingest included).
# Every check is on: no 5xx, status codes, content types, headers and bodies as documented,
# invalid input refused, valid input accepted, auth enforced, deleted objects gone.
#
# Not part of the test suite or CI (it is slow and random). Needs Python 3 and
#   pip install schemathesis
# Usage: scripts/schemathesis.sh [extra schemathesis options]
# Environment: MAX_EXAMPLES (default 30), PORT (default 18181), SEED (random unless set),
#              STRICT=1 (do not accept 422 for schema-valid bodies; see schemathesis.toml),
#              CARGO_TARGET_DIR (as cargo uses it).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v st >/dev/null 2>&1 || { echo "schemathesis is not installed: pip install schemathesis" >&2; exit 2; }
command -v curl >/dev/null 2>&1 || { echo "curl is needed" >&2; exit 2; }

cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/portico"
port="${PORT:-18181}"
base="http://127.0.0.1:${port}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://${work}/portico.db"
export PORTICO_BIND="127.0.0.1:${port}"
export PORTICO_LOG="${PORTICO_LOG:-warn}"
export PORTICO_ADMIN_PASSWORD="schemathesis-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"

"$bin" create-admin --email admin@schemathesis.example >/dev/null
admin_token="$("$bin" create-token --email admin@schemathesis.example --name schemathesis 2>/dev/null | tail -n1)"

"$bin" serve >"${work}/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "${base}/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "${base}/readyz" >/dev/null || { cat "${work}/server.log" >&2; exit 1; }

api() { # method path json → response body
  curl -fsS -X "$1" -H "Authorization: Bearer ${admin_token}" -H 'Content-Type: application/json' \
    --data "$3" "${base}/api/v1$2"
}
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

# A few records, so that ids in paths exist.
group="$(api POST /customer-groups '{"name":"Resellers"}' | id_of)"
tag="$(api POST /tags '{"name":"Gold","color":"Gold"}' | id_of)"
profile="$(api POST /access-profiles '{"name":"Standard","permissions":["account","invoices","outgoing_cdrs"]}' | id_of)"
parent="$(api POST /customers "{\"name\":\"Holding\",\"tags\":[${tag}],\"groups\":[\"Resellers\"],\"accessProfileId\":${profile}}" | id_of)"
# The customer run's profile grants every key, so that every portal data route is reached.
all_keys="$(curl -fsS -H "Authorization: Bearer ${admin_token}" "${base}/api/v1/permissions?all=true" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); rows=d["items"] if isinstance(d,dict) else d; print(json.dumps([r["key"] for r in rows]))')"
everything="$(api POST /access-profiles "{\"name\":\"Everything\",\"permissions\":${all_keys}}" | id_of)"
customer="$(api POST /customers "{\"name\":\"Acme\",\"parentCustomerId\":${parent},\"companyName\":\"Acme Ltd\",\"accessProfileId\":${everything}}" | id_of)"
api POST "/customers/${customer}/accounts" '{"name":"Main","currency":"EUR","minBalance":"-10.5"}' >/dev/null
api POST "/customers/${customer}/access-codes" '{"label":"Door","public":{"text":"D","value":"1"},"private":{"master":"m","read":"r","write":"w"}}' >/dev/null
api POST "/customers/${customer}/users" '{"email":"boss@acme.example","role":"administrator","password":"a long enough password"}' >/dev/null
customer_token="$("$bin" create-token --email boss@acme.example --name schemathesis 2>/dev/null | tail -n1)"
echo "seeded: group ${group}, tag ${tag}, profile ${profile}, customers ${parent} and ${customer}"

config=(--config-file "$(pwd)/scripts/schemathesis.toml")
if [ "${STRICT:-0}" = "1" ]; then config=(); fi
common=(--checks all --max-examples "${MAX_EXAMPLES:-30}" --workers 1 --request-timeout 30)
if [ -n "${SEED:-}" ]; then common+=(--seed "$SEED"); fi

# Schemathesis keeps a cache in the current directory: keep it out of the work tree.
scripts_dir="$(pwd)/scripts"
cd "$work"
status=0
# Binary uploads (recordings, PDFs) get bodies of their kind.
export PYTHONPATH="${scripts_dir}:${PYTHONPATH:-}"
export SCHEMATHESIS_HOOKS=schemathesis_hooks

# The customer run goes first: the staff run may delete or disable what it finds, that
# customer and its administrator included.
echo "== customer administrator: the customer users' routes"
st "${config[@]}" run "${base}/api/openapi.json" -H "Authorization: Bearer ${customer_token}" "${common[@]}" \
  --include-tag "Profile (customer users)" --include-tag "Portal data (customer users)" "$@" || status=$?

echo "== staff administrator: staff routes (ingest included)"
st "${config[@]}" run "${base}/api/openapi.json" -H "Authorization: Bearer ${admin_token}" "${common[@]}" \
  --exclude-tag "Profile (customer users)" --exclude-tag "Portal data (customer users)" "$@" || status=$?

if grep -qi "panicked" "${work}/server.log"; then
  echo "the server panicked:" >&2
  grep -i -A5 "panicked" "${work}/server.log" >&2
  status=1
fi
exit "$status"
