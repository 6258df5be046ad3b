#!/usr/bin/env bash
# The runtime test: the built client calling the sandbox from Bun, Deno and workerd, each installed from
# the npm registry into .tools/ci/runtimes (over 100 MB each, so not part of ./dev test). Every runtime
# runs the same checks: token refresh, rerun, summary, revoke twice, a refused connection. See
# .ci/runtimes/test.mjs. An expected failure that starts passing fails this step: then delete its line.
set -euo pipefail
./dev build --output-logs=errors-only
eval "$(./dev env)"
expected=(
  # TODO(issue 14): under Deno a refused connection is not recognised (ConnectionError.refused false, so a
  # rerun POST is not retried). Deno's fetch rejects with TypeError "fetch failed", whose cause is a plain
  # Error "error sending request for url (...): client error (Connect): tcp connect error: Connection
  # refused (os error 111)" with no `code`; isRefused() in packages/client/src/client.ts only looks for
  # code === 'ECONNREFUSED'.
  --expected-failure deno:refused
  # TODO(issue 14): under workerd no token refresh works: packages/client/src/auth.ts calls deps.fetch(...)
  # as a method, and workerd's fetch throws "Illegal invocation: function called with incorrect `this`
  # reference" unless called unbound (const { fetch } = deps; or globalThis.fetch).
  --expected-failure workerd:refresh
)
node .ci/runtimes/test.mjs "${expected[@]}"
