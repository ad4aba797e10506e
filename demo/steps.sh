# The demo's common steps, sourced by demo/run_demo.sh (SQLite) and
# demo/run_demo_lancedb.sh (LanceDB). demo_args sets $vp, $demo, $records and
# $work; the audit steps also need the array `audit` holding the audit
# command line (without --report).

# Arguments: VECTORPIN VECTORPIN_DEMO [WORKDIR] (default: a temporary folder,
# removed at exit).
demo_args() {
  if [ $# -lt 2 ]; then
    echo "usage: $0 VECTORPIN VECTORPIN_DEMO [WORKDIR]" >&2
    exit 2
  fi
  vp=$1
  demo=$2
  records=${VECTORPIN_DEMO_RECORDS:-3000}
  if [ $# -ge 3 ]; then
    work=$3
    mkdir -p "$work"
  else
    work=$(mktemp -d "${TMPDIR:-/tmp}/vectorpin-demo.XXXXXX")
    trap 'rm -rf "$work"' EXIT
  fi
}

step() { printf '\n== %s\n' "$*"; }
show() { printf '   $ %s\n' "$*"; }

# Step 4: the untouched store must audit clean.
audit_untouched() {
  local rc
  set +e
  "${audit[@]}" --report "$work/baseline-failures.jsonl" >"$work/baseline.json"
  rc=$?
  set -e
  cat "$work/baseline.json"
  if [ $rc -ne 0 ]; then
    echo "the untouched store did not audit clean (exit $rc)" >&2
    exit 1
  fi
  "$demo" check-clean --summary "$work/baseline.json" --records "$records"
}

# Steps 6 and 7: audit the attacked store, then judge the report against the
# attack plan ($work/attacks.jsonl); exits with the verdict.
audit_attacked_and_judge() {
  local what=$1 rc ok
  step "6. Audit again"
  show "$what" "... --report failures.jsonl"
  set +e
  "${audit[@]}" --report "$work/failures.jsonl" >"$work/summary.json"
  rc=$?
  set -e
  cat "$work/summary.json"
  echo "   first lines of the failure report:"
  head -n 3 "$work/failures.jsonl" | sed 's/^/     /'

  step "7. Verdict"
  set +e
  "$demo" check --plan "$work/attacks.jsonl" --report "$work/failures.jsonl" --summary "$work/summary.json" --exit-code $rc
  ok=$?
  set -e
  echo "   (demo steps took $(( $(date +%s) - started )) s)"
  exit $ok
}
