#!/usr/bin/env bash
# Runs the commands of upstream's README and deployment guide verbatim
# (paths aside: /etc and /var/log become folders of a temporary directory;
# `python` is python3 where no `python` exists) against this `vectorpin`,
# and checks what they print and how they exit.
#   seed-commands.sh VECTORPIN_BIN_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$1:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/vectorpin-seed.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
has_upstream_fields() {
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if all(isinstance(s[k], int) for k in ('total','pinned','verified_ok','verification_failed','unpinned')) else 1)" "$1"
}
make_table() { node "$here/make-table.js" "$@" 2>/dev/null; }
pin_table() { node "$here/../vectorpin-lancedb.js" pin --private-key ./keys/prod-2026-05.priv --key-id prod-2026-05 \
  --model text-embedding-3-large --no-progress "$@" >/dev/null; }
command -v python >/dev/null 2>&1 || python() { python3 "$@"; }

# ---- the README -------------------------------------------------------------
# Generate a signing key pair
vectorpin keygen --key-id prod-2026-05 --output ./keys >/dev/null
check "keygen writes the key pair" test -f ./keys/prod-2026-05.priv -a -f ./keys/prod-2026-05.pub
printf 'The quick brown fox.' >doc.txt
# embedding.npy: a 1-D little-endian float32 .npy file (format 1.0), written without numpy.
node -e "
const h = \"{'descr': '<f4', 'fortran_order': False, 'shape': (384,), }\";
const pad = 64 - ((10 + h.length + 1) % 64);
const head = Buffer.from(h + ' '.repeat(pad % 64) + '\\n', 'latin1');
const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 255, head.length >> 8]);
const v = Float32Array.from({ length: 384 }, (_, i) => -1 + (2 * i) / 383);
require('fs').writeFileSync('embedding.npy', Buffer.concat([pre, head, Buffer.from(v.buffer)]));"
# Pin a single (text, vector) pair (debug/demo)
vectorpin pin \
--private-key ./keys/prod-2026-05.priv \
--key-id prod-2026-05 \
--model text-embedding-3-large \
--source ./doc.txt \
--vector ./embedding.npy >pin.json
check "pin prints a pin" test -s pin.json
# Verify a pin
vectorpin verify-pin \
--public-key ./keys/prod-2026-05.pub \
--key-id prod-2026-05 \
--pin ./pin.json \
--source ./doc.txt \
--vector ./embedding.npy >verify.json
check "verify-pin accepts it" test $? -eq 0

make_table --uri ./data/vector_db --table symbiont_context --rows 50 --symbiont
pin_table --uri ./data/vector_db --table symbiont_context --source-column content
# Audit an entire LanceDB table (recommended default backend)
vectorpin audit-lancedb \
--uri ./data/vector_db \
--table symbiont_context \
--public-key ./keys/prod-2026-05.pub \
--key-id prod-2026-05 \
--source-column content >summary.json # Symbiont default; omit to skip source verification
rc=$?
check "audit-lancedb (README) exits 0 on a clean table" test $rc -eq 0
check "audit-lancedb (README) prints upstream's five fields" has_upstream_fields summary.json
check "audit-lancedb (README) verified every record" test "$(field summary.json verified_ok)" = 50
# Audit a Chroma collection
vectorpin audit-chroma \
--path ./chroma_db \
--collection my-rag \
--public-key ./keys/prod-2026-05.pub \
--key-id prod-2026-05 \
--source-metadata-key text 2>chroma.txt
rc=$?
check "audit-chroma fails closed (exit 2)" test $rc -eq 2
check "audit-chroma explains the JSONL route" grep -q -- '--store jsonl:-' chroma.txt
# Audit a Qdrant collection
vectorpin audit-qdrant \
--url http://localhost:6333 \
--collection my-rag \
--public-key ./keys/prod-2026-05.pub \
--key-id prod-2026-05 2>qdrant.txt
rc=$?
check "audit-qdrant fails closed (exit 2)" test $rc -eq 2
check "audit-qdrant explains the JSONL route" grep -q -- '--store jsonl:-' qdrant.txt

# What audit-chroma/qdrant/pinecone advise: an exported store piped into `audit --store jsonl:-`.
node -e "
const fs = require('fs');
const v = Array.from({ length: 384 }, (_, i) => Math.fround(-1 + (2 * i) / 383));
const pin = fs.readFileSync('pin.json', 'utf8').trim();
console.log(JSON.stringify({ id: 'doc-1', vector: v, source: 'The quick brown fox.', vectorpin: pin }));
console.log(JSON.stringify({ id: 'doc-2', vector: v, source: 'Edited.', vectorpin: pin }));
console.log(JSON.stringify({ id: 'doc-3', vector: v, source: 'Not pinned yet.' }));" |
  vectorpin audit --store jsonl:- --public-key ./keys/prod-2026-05.pub --key-id prod-2026-05 >export.json 2>export.txt
rc=$?
check "jsonl:- reads the export from stdin (exit 1: one edited record)" test $rc -eq 1
check "jsonl:- summary: 1 ok, 1 failed, 1 unpinned" test "$(field export.json verified_ok)/$(field export.json verification_failed)/$(field export.json unpinned)" = 1/1/1

# ---- the deployment guide -----------------------------------------------------
rm -rf ./keys
vectorpin keygen --key-id prod-2026-05 --output ./keys >/dev/null
chmod 600 ./keys/prod-2026-05.priv
mkdir -p etc/vectorpin var/log/vectorpin
cp ./keys/prod-2026-05.pub etc/vectorpin/
export VECTOR_DB_URI=./data/rag_db VECTOR_TABLE=rag-corpus
make_table --uri "$VECTOR_DB_URI" --table "$VECTOR_TABLE" --rows 40 --source-column text
pin_table --uri "$VECTOR_DB_URI" --table "$VECTOR_TABLE" --source-column text

# The cron job (set -euo pipefail as in the guide, in a subshell)
(
set -euo pipefail

vectorpin audit-lancedb \
  --uri "$VECTOR_DB_URI" \
  --table "$VECTOR_TABLE" \
  --public-key etc/vectorpin/prod-2026-05.pub \
  --key-id prod-2026-05 \
  --source-column text \
  > var/log/vectorpin/$(date -u +%Y-%m-%dT%H:%M:%SZ).json
)
check "cron job exits 0 on a clean table" test $? -eq 0
log=$(ls var/log/vectorpin/*.json | head -n 1)
check "cron job's log holds upstream's summary" has_upstream_fields "$log"

# The GitHub Actions step (secrets.VECTOR_DB_URI is the same database here)
vectorpin audit-lancedb \
  --uri "$VECTOR_DB_URI" \
  --table rag-corpus \
  --public-key ./keys/prod-2026-05.pub \
  --key-id prod-2026-05 \
  --source-column text >ci.json
check "CI step exits 0" test $? -eq 0
check "CI step verified every record" test "$(field ci.json verified_ok)" = 40

# Treating unpinned records as failures: clean table, then one with unpinned rows
summary=$(vectorpin audit-lancedb --uri "$VECTOR_DB_URI" --table "$VECTOR_TABLE" --public-key ./keys/prod-2026-05.pub --key-id prod-2026-05)
echo "$summary" >/dev/null
echo "$summary" | python -c "import json,sys; sys.exit(1 if json.load(sys.stdin)['unpinned'] else 0)"
check "fail-closed recipe passes a fully pinned table" test $? -eq 0
make_table --uri "$VECTOR_DB_URI" --table partial --rows 10 --source-column text
node -e "
const l = require('@lancedb/lancedb');
(async () => { const t = await (await l.connect(process.argv[1])).openTable('partial');
  await t.addColumns([{ name: 'vectorpin', valueSql: 'CAST(NULL AS STRING)' }]); })();" "$VECTOR_DB_URI" 2>/dev/null
summary=$(vectorpin audit-lancedb --uri "$VECTOR_DB_URI" --table partial --public-key ./keys/prod-2026-05.pub --key-id prod-2026-05)
rc=$?
check "an unpinned table audits with exit 0 (unpinned allowed by default)" test $rc -eq 0
echo "$summary" | python -c "import json,sys; sys.exit(1 if json.load(sys.stdin)['unpinned'] else 0)"
check "fail-closed recipe fails a table with unpinned records" test $? -eq 1

# Tampering is caught by the same commands: a non-zero exit for cron to alert on.
node -e "
const l = require('@lancedb/lancedb');
(async () => { const t = await (await l.connect(process.argv[1])).openTable('rag-corpus');
  await t.update({ where: \"id = 'rec-00003'\", valuesSql: { text: \"'edited'\" } }); })();" "$VECTOR_DB_URI" 2>/dev/null
vectorpin audit-lancedb --uri "$VECTOR_DB_URI" --table rag-corpus --public-key ./keys/prod-2026-05.pub \
  --key-id prod-2026-05 --source-column text >tampered.json 2>tampered.txt
check "a tampered record gives exit 1" test $? -eq 1
check "and is reported as SOURCE_MISMATCH" grep -q '"id":"rec-00003","error":"SOURCE_MISMATCH"' tampered.txt

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
