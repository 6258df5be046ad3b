#!/usr/bin/env bash
# The package test: every public package packed as it would be published (`pnpm publish --dry-run` must
# be clean), then installed from its tarball alone into empty projects outside the workspace with
# `npm install --engine-strict`, on each Node line in .ci/packages/package.json (from the npm registry):
# the client imported and require()d (and 50 calls sharing one AbortSignal, failing on any process
# warning), the sandbox started as a test double, the CLI installed with
# `npm i -g` (a bulk run of 50 ids failing on any warning event) and run through npx. See .ci/packages/test.mjs.
set -euo pipefail
./dev build --output-logs=errors-only
eval "$(./dev env)"
node .ci/packages/test.mjs
