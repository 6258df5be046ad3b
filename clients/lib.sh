# Shared by generate.sh, test.sh and schemathesis.sh: paths, pinned tools, the sandbox. Source it.
# shellcheck shell=bash
set -euo pipefail

CLIENTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$CLIENTS_DIR/.." && pwd)"
# CLIENTS_SPEC: another spec file, for trying a change (or proving the checks fail) without editing the real one.
SPEC="$(realpath "${CLIENTS_SPEC:-$ROOT_DIR/openapi/zoho-crm-sharing.yaml}")"
GEN_DIR="$CLIENTS_DIR/generated"      # generated clients (git-ignored)
VENV="$CLIENTS_DIR/.venv"             # Python tools (git-ignored)
TOOLS_DIR="$CLIENTS_DIR/.tools"       # oapi-codegen binary, openapi-generator jar (git-ignored)
BUILD_DIR="$CLIENTS_DIR/.build"       # smoke program builds, Schemathesis reports (git-ignored)
# Maven keeps its downloads in the usual place unless told otherwise (a cold run: MAVEN_REPO_LOCAL=/some/empty/dir).
MAVEN_REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
# The sandbox's demo access token (packages/sandbox/src/seed.ts DEMO_CREDENTIALS). A fake, local-only token.
SANDBOX_TOKEN="1000.sandbox-demo.access-token"
# Its demo OAuth client and refresh token (the same DEMO_CREDENTIALS), for the guides' token refresh.
SANDBOX_CLIENT_ID="1000.SANDBOXDEMOCLIENT"
SANDBOX_CLIENT_SECRET="sandbox-demo-client-secret"
SANDBOX_REFRESH_TOKEN="1000.sandbox-demo.refresh-token"
# shellcheck source=versions.env
. "$CLIENTS_DIR/versions.env"
OPENAPI_GENERATOR_JAR="$TOOLS_DIR/openapi-generator-cli-$OPENAPI_GENERATOR_VERSION.jar"

log() { printf '[clients] %s\n' "$*" >&2; }
die() { printf '[clients] FAIL: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH ($2)"; }

# Seconds since $1 (a `date +%s` value), for the timing lines.
since() { echo "$(( $(date +%s) - $1 ))s"; }

# Python virtual environment with the pinned tools of requirements.txt; reinstalled when that file changes.
ensure_venv() {
  need python3 "Python >= 3.11"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || die "python3 >= 3.11 needed, found $(python3 --version)"
  local want have
  want="$(sha256sum "$CLIENTS_DIR/requirements.txt" | cut -d' ' -f1)"
  have="$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)"
  if [ ! -x "$VENV/bin/python" ] || [ "$want" != "$have" ]; then
    log "creating $VENV (pip install -r clients/requirements.txt)"
    python3 -m venv --clear "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$CLIENTS_DIR/requirements.txt"
    echo "$want" >"$VENV/.requirements.sha256"
  fi
  local v
  v="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-python-client"), m.version("schemathesis"))')"
  [ "$v" = "$OPENAPI_PYTHON_CLIENT_VERSION $SCHEMATHESIS_VERSION" ] \
    || die "venv has openapi-python-client/schemathesis $v; versions.env pins $OPENAPI_PYTHON_CLIENT_VERSION $SCHEMATHESIS_VERSION (keep requirements.txt in step)"
}

# oapi-codegen, built from the Go module proxy at the pinned version into clients/.tools/.
ensure_oapi_codegen() {
  need go "Go >= 1.25"
  if [ "$("$TOOLS_DIR/oapi-codegen" --version 2>/dev/null | tail -n1)" != "$OAPI_CODEGEN_VERSION" ]; then
    log "installing oapi-codegen $OAPI_CODEGEN_VERSION from the Go module proxy"
    mkdir -p "$TOOLS_DIR"
    GOBIN="$TOOLS_DIR" GOFLAGS=-mod=mod go install "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@$OAPI_CODEGEN_VERSION"
  fi
}

# openapi-generator-cli jar from Maven Central, checked against the pinned SHA-256.
ensure_openapi_generator() {
  need java "Java >= 11"
  need curl "to fetch the openapi-generator jar from Maven Central"
  if [ ! -f "$OPENAPI_GENERATOR_JAR" ] || ! echo "$OPENAPI_GENERATOR_SHA256  $OPENAPI_GENERATOR_JAR" | sha256sum --check --status; then
    local url="https://repo1.maven.org/maven2/org/openapitools/openapi-generator-cli/$OPENAPI_GENERATOR_VERSION/openapi-generator-cli-$OPENAPI_GENERATOR_VERSION.jar"
    log "downloading openapi-generator-cli $OPENAPI_GENERATOR_VERSION from Maven Central"
    mkdir -p "$TOOLS_DIR"
    curl --fail --silent --show-error --location --retry 3 -o "$OPENAPI_GENERATOR_JAR.part" "$url"
    echo "$OPENAPI_GENERATOR_SHA256  $OPENAPI_GENERATOR_JAR.part" | sha256sum --check --status \
      || { rm -f "$OPENAPI_GENERATOR_JAR.part"; die "openapi-generator jar checksum mismatch (expected $OPENAPI_GENERATOR_SHA256)"; }
    mv "$OPENAPI_GENERATOR_JAR.part" "$OPENAPI_GENERATOR_JAR"
  fi
}

# What the generated clients depend on: a change to any of these means clients/generated/ is stale.
generation_inputs_hash() {
  cat "$SPEC" "$CLIENTS_DIR/versions.env" "$CLIENTS_DIR/requirements.txt" "$CLIENTS_DIR/generate.sh" \
    "$CLIENTS_DIR/lib.sh" "$CLIENTS_DIR/check_nullable.py" "$CLIENTS_DIR"/config/{python,go,java}.yaml | sha256sum | cut -d' ' -f1
}

# Node 24 on PATH (the repo's bootstrap), then the sandbox built through turbo (which also generates
# openapi/dist/openapi.json, the spec the sandbox validates requests with).
build_sandbox() {
  # shellcheck source=../scripts/bootstrap.sh
  . "$ROOT_DIR/scripts/bootstrap.sh"
  log "building the sandbox"
  "$ROOT_DIR/dev" exec turbo run build --filter=@zcrm-sharing/sandbox... --output-logs=errors-only >&2
}

# Background processes (the sandbox, a test server) are stopped on exit, whatever happens.
CLEANUP_PIDS=()
CLEANUP_FILES=()
cleanup() {
  local pid
  for pid in "${CLEANUP_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  CLEANUP_PIDS=()
  rm -f "${CLEANUP_FILES[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# background_server LOGFILE SED_EXPR COMMAND...: starts COMMAND, waits (10 s at most) until SED_EXPR
# (`sed -n`) prints something from its output, and echoes that into READY_LINE. Sets BG_PID.
background_server() {
  local logfile=$1 expr=$2 i
  shift 2
  "$@" >"$logfile" 2>&1 &
  BG_PID=$!
  CLEANUP_PIDS+=("$BG_PID")
  for i in $(seq 1 100); do
    READY_LINE="$(sed -n "$expr" "$logfile" | head -n1)"
    [ -n "$READY_LINE" ] && return 0
    kill -0 "$BG_PID" 2>/dev/null || { cat "$logfile" >&2; die "$1 exited at start"; }
    sleep 0.1
  done
  cat "$logfile" >&2
  die "$1 did not start within 10 s"
}

# start_sandbox [zcrm-sandbox flags...]: the sandbox on 127.0.0.1 and a free port; sets SANDBOX_API
# (e.g. http://127.0.0.1:40123/crm/v8) and SANDBOX_PID.
start_sandbox() {
  local logfile
  logfile="$(mktemp "${TMPDIR:-/tmp}/zcrm-sandbox.XXXXXX")"
  CLEANUP_FILES+=("$logfile")
  background_server "$logfile" 's/^ *API base: *//p' node "$ROOT_DIR/packages/sandbox/bin/zcrm-sandbox.js" --host 127.0.0.1 --port 0 "$@"
  SANDBOX_PID=$BG_PID
  SANDBOX_API=$READY_LINE
  log "sandbox (pid $SANDBOX_PID) at $SANDBOX_API $*"
}
stop_sandbox() {
  kill -TERM "$SANDBOX_PID" 2>/dev/null || true
  wait "$SANDBOX_PID" 2>/dev/null || true
  log "sandbox stopped"
}
