#!/usr/bin/env bash
# Schemathesis (pinned, PyPI) against the sandbox with the spec and a valid token: every check
# Schemathesis has, with the one that contradicts Zoho's documented behaviour (405 for an undeclared
# method) replaced by a check of what Zoho answers instead (config/zoho_checks.py), examples + coverage + fuzzing phases, a bounded number of cases per operation. Fails on any failure,
# any warning that means the API was not exercised, or when the run never reached the sandbox's real
# answers. Root: `pnpm clients:schemathesis`.
#   MAX_EXAMPLES=100       cases per operation and phase (default 100)
#   SCHEMATHESIS_SEED=N    the Hypothesis seed (default fixed, so CI runs are repeatable)
#   SANDBOX_FLAGS="..."    extra zcrm-sandbox flags, e.g. "--error-rate 0.05" to see the run fail
set -euo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
max_examples="${MAX_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-20261123}"
ensure_venv
build_sandbox
# A rerun that stays "running" for the whole session: every rerun of a module after its first answers
# the documented 400 CANNOT_PROCESS, so both answers are exercised.
# shellcheck disable=SC2086 # SANDBOX_FLAGS is a list of flags
start_sandbox --rerun-duration-ms 3600000 ${SANDBOX_FLAGS:-}

report_dir="$BUILD_DIR/schemathesis"
rm -rf "$report_dir" && mkdir -p "$report_dir"
out="$report_dir/output.txt"
log "schemathesis $SCHEMATHESIS_VERSION: --max-examples $max_examples --seed $seed"
st_status=0
# The header carries the sandbox's fake demo token; Schemathesis masks Authorization in its output.
checks_report="$report_dir/zoho-checks.json"
(cd "$report_dir" && SCHEMATHESIS_HOOKS="$CLIENTS_DIR/config/zoho_checks.py" ZOHO_CHECKS_REPORT="$checks_report" \
  "$VENV/bin/st" --config-file "$CLIENTS_DIR/config/schemathesis.toml" run "$SPEC" \
  --url "$SANDBOX_API" \
  --header "Authorization: Zoho-oauthtoken $SANDBOX_TOKEN" \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$max_examples" \
  --seed "$seed" \
  --generation-database none \
  --continue-on-failure \
  --no-color \
  --report junit --report-dir "$report_dir") 2>&1 | tee "$out" || st_status=$?

# What the run reached, from the sandbox's own counters.
stats="$(curl --fail --silent --show-error "${SANDBOX_API%/crm/v8}/__sandbox/stats")"
stop_sandbox
cases="$(sed -nE 's/^ *([0-9]+) generated.*/\1/p' "$out" | tail -n1)"
log "sandbox counters: $stats"
"$VENV/bin/python" - "$stats" "$checks_report" <<'EOF'
import json, os, sys
s = json.loads(sys.argv[1])
probes = json.load(open(sys.argv[2]))["undeclared_method_probes"] if os.path.exists(sys.argv[2]) else []
want = {
    "rerun scheduled (200 SCHEDULED)": s["rerun"]["scheduled"],
    "rerun busy (400 CANNOT_PROCESS)": s["rerun"]["busy"],
    "revoke succeeded (200 SUCCESS)": s["revoke"]["succeeded"],
    "revoke nothing to revoke (400 BAD_REQUEST)": s["revoke"]["nothingToRevoke"],
    "204 answers (summary or rerun without rules, a record shared with no one)": s["byStatus"].get("204", 0),
    "shares read (GET share)": s["sharing"]["reads"],
    "shares applied (201, POST or PUT share)": s["byStatus"].get("201", 0),
    "share bodies refused per entry or as a whole (400)": s["sharing"]["rejected"],
    "401 answers": s["byStatus"].get("401", 0),
    "undeclared methods answered 400 INVALID_REQUEST_METHOD (zoho_invalid_request_method)": len(probes),
}
missing = [k for k, v in want.items() if not v]
for k, v in want.items():
    print(f"[clients]   {k}: {v}", file=sys.stderr)
if s["byStatus"].get("500"):
    missing.append("no 500 INTERNAL_ERROR (the sandbox answered 500)")
if missing:
    print("[clients] FAIL: the run never reached: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
EOF
[ "$st_status" -eq 0 ] || die "schemathesis found failures or warnings (exit $st_status); report: ${report_dir#"$ROOT_DIR"/}"
log "schemathesis: ${cases:-?} test cases generated, 0 failures ($(since "$start"))"
echo "schemathesis: ${cases:-0} passed, 0 failed"
