#!/usr/bin/env bash
# The README's test command, in this checkout: bootstraps Node 24 + pnpm from the npm registry,
# installs the workspace, runs lint, typecheck and every test.
set -euo pipefail
./dev test
