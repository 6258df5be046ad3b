#!/usr/bin/env bash
# The README's test command, read from the README (the second command of its first ```sh block, as
# 90-first-contact.sh reads it) and run as printed in this checkout: bootstraps Node 24 + pnpm from the
# npm registry, installs the workspace, runs lint, typecheck and every test.
set -euo pipefail
test_command=$(bash .ci/readme-commands.sh README.md | sed -n 2p)
echo "ci: \$ $test_command   (the README's test command)"
bash -c "$test_command"
