#!/usr/bin/env bash
# Prints the README's two first-contact commands, one per line: the lines of its first ```sh block, comments
# stripped. Fails unless there are exactly two (the main job, then the tests).
set -euo pipefail
readme=${1:-README.md}
commands=$(awk '/^```sh$/ && !seen { inside = 1; seen = 1; next } inside && /^```$/ { exit } inside' "$readme" \
  | sed -E 's/[[:space:]]+#.*$//; s/^[[:space:]]+//' | grep -v '^$' || true)
count=$(printf '%s' "$commands" | grep -c '' || true)
if [ "$count" != 2 ]; then
  echo "readme-commands: expected the first \`\`\`sh block of $readme to hold 2 commands (main job, tests); found $count" >&2
  exit 1
fi
printf '%s\n' "$commands"
