#!/usr/bin/env bash
# PostgreSQL server binaries for the example server's multi-instance tests, from Debian's packages. The
# tests start a throwaway cluster of their own (initdb + pg_ctl on a free 127.0.0.1 port, as the postgres
# user: packages/test-support/src/postgres.ts); nothing here starts a server. Under CI=true their absence
# fails the tests (prerequisite('postgres')).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "ci: installing postgresql from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
id -u postgres >/dev/null  # the package creates the user the throwaway clusters run as
