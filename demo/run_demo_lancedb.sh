#!/usr/bin/env bash
# The demo's steps on a LanceDB table (upstream's default backend, in
# Symbiont's shape), given built programs:
#   demo/run_demo_lancedb.sh VECTORPIN VECTORPIN_DEMO [WORKDIR]
# Needs node, the Node binding's addon (VECTORPIN_NODE_ADDON) and the LanceDB
# tool's npm dependencies (NODE_PATH, or node_modules in integrations/lancedb).
# Same attacks and verdict table as demo/run_demo.sh; exits 0 only if every
# attack is detected with its expected code and no clean record fails.
set -euo pipefail

# shellcheck source=demo/steps.sh
. "$(dirname "$0")/steps.sh"
demo_args "$@"
here=$(cd "$(dirname "$0")/.." && pwd)
tool="$here/integrations/lancedb/vectorpin-lancedb.js"
helper="$here/integrations/lancedb/demo/demo-lancedb.js"
export VECTORPIN_LANCEDB_TOOL=$tool
uri="$work/lancedb"
kid=demo-2026-05
model=demo-hash-embedding-384
export LANCEDB_LOG=${LANCEDB_LOG:-error}

started=$(date +%s)
step "1. An embedded LanceDB vector store in Symbiont's shape (content = the embedded text, source = provenance)"
"$demo" make-jsonl --out "$work/records.jsonl" --records "$records" --dim 384 >/dev/null
rm -rf "$uri"
node "$helper" load --uri "$uri" --table docs --jsonl "$work/records.jsonl"

step "2. Keys: the private key stays with the ingestion pipeline, auditors get the public key"
rm -rf "$work/keys"
show vectorpin keygen --key-id $kid --output keys
"$vp" keygen --key-id $kid --output "$work/keys" >/dev/null 2>"$work/keygen.log" || { cat "$work/keygen.log" >&2; exit 1; }

step "3. Pin every record, written back with LanceDB's merge-insert (record id and table name bound into each pin)"
show vectorpin-lancedb pin --uri lancedb --table docs --private-key keys/$kid.priv --key-id $kid --model $model --source-column content
node "$tool" pin --uri "$uri" --table docs --private-key "$work/keys/$kid.priv" --key-id $kid --model $model \
  --source-column content --no-progress
audit=("$vp" audit-lancedb --uri "$uri" --table docs --public-key "$work/keys/$kid.pub" --key-id $kid
  --source-column content --expect-model $model --bind-record-id --collection-id docs --fail-on-unpinned --no-progress)

step "4. Audit before any attack"
show vectorpin audit-lancedb --uri lancedb --table docs --public-key keys/$kid.pub --key-id $kid --source-column content \
  --expect-model $model --bind-record-id --collection-id docs --fail-on-unpinned
audit_untouched

step "5. The attacker, with write access to the table but not to the signing key, tampers with records"
node "$helper" attack --uri "$uri" --table docs --plan "$work/attacks.jsonl"

audit_attacked_and_judge "vectorpin audit-lancedb"
