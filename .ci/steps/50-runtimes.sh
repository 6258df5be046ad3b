#!/usr/bin/env bash
# The runtime test: the built client calling the sandbox from Bun, Deno and workerd, over HTTP and in process
# (createSandbox().fetch; Deno with --deny-net, workerd with no outbound network), and the sandbox's MSW
# handlers under MSW 2 on Node 20, each installed from the npm registry into .tools/ci/runtimes (over
# 100 MB each, so not part of ./dev test). Every runtime runs the same checks: token refresh, rerun,
# summary, revoke twice, a refused connection (in process: another host refused, the sandbox's state). See
# .ci/runtimes/test.mjs. workerd cannot tell a refused connection from a reset one (a platform limit):
# there the check asserts refused: false. An expected failure that starts passing fails this step.
set -euo pipefail
./dev build --output-logs=errors-only
eval "$(./dev env)"
node .ci/runtimes/test.mjs
