#!/usr/bin/env bash
# First contact: what a new user gets. Clones this commit into an empty temporary folder (nothing beside
# it) and there runs the README's two commands exactly as printed (read from the README, so the two
# cannot drift apart), with the machine's own Node on PATH. Any non-zero exit fails CI.
set -euo pipefail
repo=$(pwd)
commit=$(git rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/zcrm-first-contact.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$repo" "$work/zcrm-sharing"
cd "$work/zcrm-sharing"
git -c advice.detachedHead=false checkout --quiet "$commit"
echo "ci: fresh clone of $commit in $work/zcrm-sharing; node on PATH: $(node --version 2>/dev/null || echo none)"
mapfile -t commands < <(bash .ci/readme-commands.sh README.md)
for cmd in "${commands[@]}"; do
  echo "ci: \$ $cmd"
  t0=$(date +%s)
  bash -c "$cmd"
  echo "ci: '$cmd' exit 0 in $(( $(date +%s) - t0 ))s"
done
