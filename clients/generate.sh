#!/usr/bin/env bash
# Regenerates the Python, Go and Java clients from openapi/zoho-crm-sharing.yaml into clients/generated/
# (git-ignored) with pinned third-party generators, and fails on any generator warning or on a record id
# that is not a string type. Root: `pnpm clients:generate`. Versions: clients/versions.env.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
rm -rf "$GEN_DIR"
mkdir -p "$GEN_DIR" "$BUILD_DIR"
logs="$BUILD_DIR/generate-logs"
rm -rf "$logs" && mkdir -p "$logs"

# Prints the log and fails when a generator said anything matching a warning.
fail_on_warnings() { # LOG WHAT REGEX
  if grep -Eiq "$3" "$1"; then
    cat "$1" >&2
    die "$2 printed warnings (above); fix the spec rather than the generator options"
  fi
}
expect() { # FILE REGEX WHAT
  grep -Eq "$2" "$1" || die "$3: /$2/ not found in ${1#"$ROOT_DIR"/}"
}
reject() { # DIR REGEX WHAT
  if grep -REn "$2" "$1" >&2; then die "$3 (lines above)"; fi
}

# --- Python: openapi-python-client ------------------------------------------------------------
t=$(date +%s)
ensure_venv
log "python: openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION"
# Its post-hooks (ruff) must come from the venv.
PATH="$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate \
  --path "$SPEC" --output-path "$GEN_DIR/python" --meta setup \
  --config "$CLIENTS_DIR/config/python.yaml" --fail-on-warning >"$logs/python.log" 2>&1 \
  || { cat "$logs/python.log" >&2; die "openapi-python-client failed"; }
fail_on_warnings "$logs/python.log" openapi-python-client 'warning|unsupported|skipping|could not|error'
py="$GEN_DIR/python/zcrm_sharing_client"
expect "$py/api/record_sharing/revoke_shared_record.py" '^ +record_id: str,$' 'python: revoke takes record_id as str'
expect "$py/models/status_details.py" '^ +id: str \| Unset = UNSET$' 'python: details.id is a str'
expect "$py/models/module_reference.py" '^ +id: str$' 'python: module.id is a str'
reject "$py" '\b(record_id|id): *(int|float)\b' 'python: a record id typed as a number'
log "python: ok ($(since "$t"))"

# --- Go: oapi-codegen -------------------------------------------------------------------------
t=$(date +%s)
ensure_oapi_codegen
log "go: oapi-codegen $OAPI_CODEGEN_VERSION"
mkdir -p "$GEN_DIR/go"
(cd "$GEN_DIR/go" && "$TOOLS_DIR/oapi-codegen" -config "$CLIENTS_DIR/config/go.yaml" "$SPEC") >"$logs/go.log" 2>&1 \
  || { cat "$logs/go.log" >&2; die "oapi-codegen failed"; }
# oapi-codegen is silent on success: any output is a warning.
fail_on_warnings "$logs/go.log" oapi-codegen '.'
cat >"$GEN_DIR/go/go.mod" <<EOF
module github.com/zcrm-sharing/zcrm-sharing/clients/generated/go

go 1.25

require github.com/oapi-codegen/runtime $OAPI_RUNTIME_VERSION
EOF
gofile="$GEN_DIR/go/zcrmsharing.gen.go"
expect "$gofile" '^type RecordId = string$' 'go: RecordId is a string'
expect "$gofile" '^type RecordIdPath = RecordId$' 'go: the record_id path parameter is a RecordId'
expect "$gofile" 'RevokeSharedRecord\(ctx context\.Context, [^)]*\brecordId RecordIdPath\b' 'go: revoke takes recordId as RecordIdPath'
expect "$gofile" 'Id +\*RecordId +`json:"id,omitempty"`' 'go: details.id is a *RecordId'
# Retry-After may be seconds or an HTTP date: an int here would fail the whole 429 response on a date.
expect "$gofile" '^\s+RetryAfter \*string$' 'go: the Retry-After header is a *string'
reject "$GEN_DIR/go" '\b(RecordId|RecordIdPath|recordId|Id) +\*?(u?int(8|16|32|64)?|float(32|64)|json\.Number)\b' 'go: a record id typed as a number'
log "go: ok ($(since "$t"))"

# --- Java: openapi-generator (java, okhttp-gson) ---------------------------------------------
t=$(date +%s)
ensure_openapi_generator
log "java: openapi-generator $OPENAPI_GENERATOR_VERSION"
java -jar "$OPENAPI_GENERATOR_JAR" validate -i "$SPEC" --recommend >"$logs/java-validate.log" 2>&1 \
  || { cat "$logs/java-validate.log" >&2; die "openapi-generator validate failed"; }
grep -q '^No validation issues detected\.$' "$logs/java-validate.log" \
  || { cat "$logs/java-validate.log" >&2; die "openapi-generator validate reported issues or recommendations"; }
java -jar "$OPENAPI_GENERATOR_JAR" generate -i "$SPEC" -g java --library okhttp-gson -o "$GEN_DIR/java" \
  -c "$CLIENTS_DIR/config/java.yaml" --strict-spec true \
  --global-property apiTests=false,modelTests=false,apiDocs=false,modelDocs=false >"$logs/java.log" 2>&1 \
  || { cat "$logs/java.log" >&2; die "openapi-generator failed"; }
fail_on_warnings "$logs/java.log" openapi-generator '\b(WARN|ERROR)\b|unsupported|not supported'
jsrc="$GEN_DIR/java/src/main/java/io/github/zcrmsharing/client"
expect "$jsrc/api/RecordSharingApi.java" 'public RevokeSuccessEnvelope revokeSharedRecord\([^)]*\bString recordId\b' 'java: revoke takes recordId as String'
expect "$jsrc/model/StatusDetails.java" '^ +private String id;$' 'java: details.id is a String'
expect "$jsrc/model/ModuleReference.java" '^ +private String id;$' 'java: module.id is a String'
reject "$jsrc" '\b(Long|long|Integer|int|BigInteger|BigDecimal|Double|double|Float|float|Number) +(recordId|id)\b' 'java: a record id typed as a number'
log "java: ok ($(since "$t"))"

# Nullability: no `nullable: true` property may come out non-nullable.
"$VENV/bin/python" "$CLIENTS_DIR/check_nullable.py" "$SPEC" "$py/models" "$gofile" \
  || die "a generator lost the nullability of a property (above)"

generation_inputs_hash >"$GEN_DIR/.inputs.sha256"
log "generated python, go and java clients in ${GEN_DIR#"$ROOT_DIR"/}/ ($(since "$start"))"
