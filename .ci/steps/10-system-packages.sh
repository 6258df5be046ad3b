#!/usr/bin/env bash
# Test prerequisites npm cannot install, from Debian's packages: Chromium for the browser tests
# (driven by playwright-core; never a browser download). Under CI=true their absence fails the tests.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "ci: installing ${need[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
