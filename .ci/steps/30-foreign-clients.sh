#!/usr/bin/env bash
# Spec portability and third-party proof. Each installs what it needs: a venv from PyPI, Go modules from
# the proxy, the openapi-generator jar from Maven Central (checksum-verified).
set -euo pipefail
./dev clients:generate       # Python, Go and Java clients; any generator warning fails
./dev clients:test           # their smoke programs against the sandbox, then the language guides as printed
./dev clients:schemathesis   # Schemathesis against the sandbox: zero failures
