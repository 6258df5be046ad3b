#!/usr/bin/env bash
# Builds the Python, Go and Java smoke programs (clients/smoke/) against the generated clients, starts the
# sandbox on 127.0.0.1, runs all three against it and stops it. Regenerates the clients first when the
# spec, the pins or the generator configs changed, then runs the language guides (guides.sh). Non-zero
# exit when anything fails.
# Root: `pnpm clients:test`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
if [ "$(cat "$GEN_DIR/.inputs.sha256" 2>/dev/null || true)" != "$(generation_inputs_hash)" ]; then
  log "clients/generated/ is missing or stale: running generate.sh"
  bash "$CLIENTS_DIR/generate.sh"
fi
ensure_venv
need go "Go >= 1.25"
need java "Java >= 11"
need javac "a JDK >= 11"
need mvn "Maven, to fetch the Java client's dependencies from Maven Central"
mkdir -p "$BUILD_DIR"

# --- build the three smoke programs -------------------------------------------------------------
t=$(date +%s)
log "python: installing the generated client into the venv"
# --no-build-isolation: build with the venv's setuptools; its dependencies (httpx, attrs) are pinned there.
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps "$GEN_DIR/python"
"$VENV/bin/pip" check >/dev/null || { "$VENV/bin/pip" check >&2; die "python: the generated client's dependencies are not satisfied by requirements.txt"; }

log "go: building the smoke program"
(cd "$CLIENTS_DIR/smoke/go" && go vet . && go build -o "$BUILD_DIR/go-smoke" .)

log "java: fetching the generated client's dependencies (Maven Central) and compiling"
jbuild="$BUILD_DIR/java"
rm -rf "$jbuild" "$BUILD_DIR"/*-smoke.log && mkdir -p "$jbuild/classes"
mvn -B -q -f "$GEN_DIR/java/pom.xml" -Dmaven.repo.local="$MAVEN_REPO" \
  dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory="$jbuild/lib" >"$jbuild/mvn.log" 2>&1 \
  || { cat "$jbuild/mvn.log" >&2; die "java: mvn dependency:copy-dependencies failed"; }
find "$GEN_DIR/java/src/main/java" -name '*.java' >"$jbuild/sources.txt"
echo "$CLIENTS_DIR/smoke/java/Smoke.java" >>"$jbuild/sources.txt"
javac -nowarn -encoding UTF-8 --release 11 -d "$jbuild/classes" -cp "$jbuild/lib/*" "@$jbuild/sources.txt"
log "built the smoke programs ($(since "$t"))"

smoke() { # NAME ARGS...: runs one smoke program
  local name=$1
  shift
  case $name in
    python) "$VENV/bin/python" "$CLIENTS_DIR/smoke/python/smoke.py" "$@" ;;
    go) "$BUILD_DIR/go-smoke" "$@" ;;
    java) java -cp "$jbuild/classes:$jbuild/lib/*" Smoke "$@" ;;
  esac
}

# Demo seed: Contacts ids 4150868000001148212 + i, every 10th (i % 10 == 9) without shares; users
# 4150868000000224005 + u (User 0 ... User 11). Each program gets its own module, records and user, so
# the three can't disturb each other.
first=4150868000001148212
first_user=4150868000000224005
# NAME MODULE I_SHARED I_UNSHARED U_SHARE_WITH
plan=("python Leads 0 9 8" "go Accounts 1 19 9" "java Deals 2 29 10")

# --- run them against the sandbox ---------------------------------------------------------------
build_sandbox
# A long rerun so each program's second rerun is answered 400 CANNOT_PROCESS.
start_sandbox --rerun-duration-ms 120000 --demo-records 100
results=()
failures=0
for p in "${plan[@]}"; do
  read -r name module i j u <<<"$p"
  log "$name: smoke (rerun $module, revoke Contacts/$(( first + i )) and Contacts/$(( first + j )), share with user $(( first_user + u )))"
  if smoke "$name" --base-url "$SANDBOX_API" --token "$SANDBOX_TOKEN" --module "$module" \
      --record-id "$(( first + i ))" --unshared-record-id "$(( first + j ))" --share-with-user-id "$(( first_user + u ))" | tee "$BUILD_DIR/$name-smoke.log"; then
    results+=("$name: ok")
  else
    results+=("$name: FAILED against the sandbox")
    failures=$(( failures + 1 ))
  fi
done
stop_sandbox

# --- self-check: the same programs must fail against a server that answers wrongly ---------------
# (a second rerun answered 200, ids sent as rounded JSON numbers, a bad token accepted)
wrong_log="$(mktemp "${TMPDIR:-/tmp}/zcrm-wrong.XXXXXX")"
CLEANUP_FILES+=("$wrong_log")
background_server "$wrong_log" '1p' "$VENV/bin/python" "$CLIENTS_DIR/smoke/wrong_server.py"
wrong_pid=$BG_PID
for p in "${plan[@]}"; do
  read -r name module i j u <<<"$p"
  if smoke "$name" --base-url "$READY_LINE" --token "$SANDBOX_TOKEN" --module "$module" \
      --record-id "$(( first + i ))" --unshared-record-id "$(( first + j ))" --share-with-user-id "$(( first_user + u ))" >"$BUILD_DIR/$name-vs-wrong-server.log" 2>&1; then
    cat "$BUILD_DIR/$name-vs-wrong-server.log" >&2
    results+=("$name: FAILED the self-check (it passed against smoke/wrong_server.py)")
    failures=$(( failures + 1 ))
  else
    log "$name: fails against smoke/wrong_server.py as it must ($(grep -c '^FAIL' "$BUILD_DIR/$name-vs-wrong-server.log") failed checks)"
  fi
done
kill -TERM "$wrong_pid" 2>/dev/null || true
wait "$wrong_pid" 2>/dev/null || true

# --- the language guides, run as printed (clients/{python,go,java}/README.md) ---------------------
if bash "$CLIENTS_DIR/guides.sh"; then
  results+=("guides: ok")
else
  results+=("guides: FAILED (a block of clients/*/README.md, above)")
  failures=$(( failures + 1 ))
fi

printf '[clients] %s\n' "${results[@]}" >&2
log "done in $(since "$start")"
# One closing line over the checks of all three programs (each printed `<language>: N passed, N failed`).
cat "$BUILD_DIR"/{python,go,java}-smoke.log 2>/dev/null \
  | sed -nE 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' \
  | awk -v bad="$failures" '{ p += $1; f += $2 } END { printf "smoke: %d passed, %d failed\n", p, f + (f == 0 ? bad : 0) }'
[ "$failures" -eq 0 ] || die "$failures smoke failure(s)"
