#!/usr/bin/env bash
# The demo's steps, given built programs:
#   demo/run_demo.sh VECTORPIN VECTORPIN_DEMO [WORKDIR]
# scripts/demo.sh builds the programs and calls this; ctest calls it too.
# Exits 0 only if every injected attack is detected with its expected code
# and no clean record fails.
set -euo pipefail

# shellcheck source=demo/steps.sh
. "$(dirname "$0")/steps.sh"
demo_args "$@"
db="$work/store.db"
kid=demo-2026-05
model=demo-hash-embedding-384

started=$(date +%s)
step "1. An embedded vector store (SQLite), as an ingestion pipeline would leave it"
"$demo" make-store --db "$db" --records "$records" --dim 384

step "2. Keys: the private key stays with the ingestion pipeline, auditors get the public key"
rm -rf "$work/keys"
show vectorpin keygen --key-id $kid --output keys
"$vp" keygen --key-id $kid --output "$work/keys" >/dev/null 2>"$work/keygen.log" || { cat "$work/keygen.log" >&2; exit 1; }
echo "   fingerprint: $("$vp" fingerprint --public-key "$work/keys/$kid.pub" | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')"

step "3. Pin every record in one transaction (record id and table name bound into each pin)"
show vectorpin pin-store --store sqlite:store.db --table docs --private-key keys/$kid.priv --key-id $kid --model $model
"$vp" pin-store --store "sqlite:$db" --table docs --private-key "$work/keys/$kid.priv" --key-id $kid --model $model \
  --no-progress
audit=("$vp" audit --store "sqlite:$db" --table docs --public-key "$work/keys/$kid.pub" --key-id $kid
  --expect-model $model --bind-record-id --collection-id docs --fail-on-unpinned --no-progress)

step "4. Audit before any attack"
show vectorpin audit --store sqlite:store.db --table docs --public-key keys/$kid.pub --key-id $kid \
  --expect-model $model --bind-record-id --collection-id docs --fail-on-unpinned
audit_untouched

step "5. The attacker, with write access to the store but not to the signing key, tampers with records"
"$demo" attack --db "$db" --plan "$work/attacks.jsonl"

audit_attacked_and_judge "vectorpin audit"
