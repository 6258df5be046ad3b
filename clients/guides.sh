#!/usr/bin/env bash
# Runs the three language guides (clients/{python,go,java}/README.md) as printed, each against its own
# fresh sandbox: clients/guides.py writes their file blocks into a work folder, runs their run blocks and
# compares what each printed with the output block under it. Called by test.sh (`./dev clients:test`);
# `bash clients/guides.sh [python|go|java]...` runs some. Needs what test.sh needs (its pinned tools).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python go java)
ensure_venv
build_sandbox
spec_json="$ROOT_DIR/openapi/dist/openapi.json"
[ -f "$spec_json" ] || die "$spec_json is missing (the sandbox build writes it)"

# guides.py refuses a broken guide (each fault it must catch, on a small README).
"$VENV/bin/python" "$CLIENTS_DIR/guides_test.py" "$spec_json" 2>"$BUILD_DIR/guides-test.log" \
  || { cat "$BUILD_DIR/guides-test.log" >&2; die "guides_test.py: guides.py let a broken guide through (above)"; }

# The guides print the pinned versions for readers to copy: each must be versions.env's.
check_pins() { # README SED_REGEX(one group) EXPECTED
  local found
  found="$(grep -oE "$2" "$1" | sed -E "s#$2#\\1#" | sort -u | tr '\n' ' ')"
  [ "$found" = "$3 " ] || die "${1#"$ROOT_DIR"/} names '${found% }' for /$2/, versions.env pins $3"
}
check_pins "$CLIENTS_DIR/python/README.md" 'openapi-python-client==([0-9][0-9.]*[0-9])' "$OPENAPI_PYTHON_CLIENT_VERSION"
check_pins "$CLIENTS_DIR/go/README.md" 'oapi-codegen[@ ](v[0-9][0-9.]*[0-9])' "$OAPI_CODEGEN_VERSION"
check_pins "$CLIENTS_DIR/go/README.md" 'oapi-codegen/runtime (v[0-9][0-9.]*[0-9])' "$OAPI_RUNTIME_VERSION"
check_pins "$CLIENTS_DIR/java/README.md" 'openapi-generator-cli[-/ ]([0-9][0-9.]*[0-9])' "$OPENAPI_GENERATOR_VERSION"
check_pins "$CLIENTS_DIR/java/README.md" '\b([0-9a-f]{64})\b' "$OPENAPI_GENERATOR_SHA256"

for lang in "${langs[@]}"; do
  t=$(date +%s)
  readme="$CLIENTS_DIR/$lang/README.md"
  [ -f "$readme" ] || die "no guide $readme"
  work="$BUILD_DIR/guide-$lang"
  rm -rf "$work" && mkdir -p "$work/.bin"
  # What a reader has before the first block: the spec as openapi.yaml and the pinned generator.
  cp "$SPEC" "$work/openapi.yaml"
  case $lang in
    python) ln -s "$VENV/bin/openapi-python-client" "$VENV/bin/ruff" "$work/.bin/" ;;
    go) need go "Go >= 1.25" ;;
    java) ensure_openapi_generator; need mvn "Maven"; ln -s "$OPENAPI_GENERATOR_JAR" "$work/" ;;
    *) die "unknown guide $lang" ;;
  esac
  start_sandbox --demo-records 100
  origin="${SANDBOX_API%/crm/*}"
  # The one override the guides document: the token URL (the sandbox's api_domain is the sandbox).
  ZOHO_TOKEN_URL="$origin/oauth/v2/token" ZOHO_CLIENT_ID="$SANDBOX_CLIENT_ID" \
    ZOHO_CLIENT_SECRET="$SANDBOX_CLIENT_SECRET" ZOHO_REFRESH_TOKEN="$SANDBOX_REFRESH_TOKEN" \
    PATH="$work/.bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$MAVEN_REPO" \
    "$VENV/bin/python" "$CLIENTS_DIR/guides.py" "$readme" "$work" "$spec_json" "$origin" \
    || die "the $lang guide fails as printed (clients/$lang/README.md, above)"
  stop_sandbox
  log "$lang guide: ok ($(since "$t"))"
done
log "guides ${langs[*]}: ok ($(since "$start"))"
