#!/usr/bin/env bash
# The registry install test: the four public packages published with `changeset publish` (their own
# prepack, as a release) to a throwaway Verdaccio on 127.0.0.1 (from the npm registry into
# .tools/ci/registry, run on ./dev's Node 24), then every README install block (`<!-- doc-test: install -->`)
# run as printed in empty folders by npm, pnpm and yarn 1 on Node 20, 22, 24 and 26 (the lines of
# .ci/packages), only the registry setting pointing at Verdaccio; the CLI installed globally and run
# through npx; the client's quick start against the installed sandbox. Prints the matrix (package
# manager x Node line); any failed cell fails the step. See .ci/registry/test.mjs.
set -euo pipefail
./dev build --output-logs=errors-only
eval "$(./dev env)"
node --test .ci/registry/install-blocks.test.mjs
node .ci/registry/test.mjs
