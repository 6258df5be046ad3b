#!/usr/bin/env bash
# Test prerequisites npm cannot install, from Debian's packages, in one apt run: Chromium for the
# browser tests (driven by playwright-core; never a browser download), and PostgreSQL's server binaries
# for the example server's multi-instance tests, which start a throwaway cluster of their own (initdb +
# pg_ctl on a free 127.0.0.1 port, as the postgres user: packages/test-support/src/postgres.ts); nothing
# here starts a server. Under CI=true the absence of either fails the tests.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "ci: installing ${need[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
id -u postgres >/dev/null  # the package creates the user the throwaway clusters run as
