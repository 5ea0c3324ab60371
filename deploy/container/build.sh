#!/bin/sh
# Builds one server from the workspace and packs it as npm would publish it: the Containerfile's build stage
# runs this, and deploy/container/test/build.sh runs it against a copy of the repository.
#   sh deploy/container/build.sh SERVER OUT_DIR      (from the repository root; pnpm on the PATH)
set -eu
server="${1:-}"
out="${2:-}"
case "$server" in
  cloudstack | cloudeka | kubernetes | oke | ocm) ;;
  *)
    echo "build.sh: SERVER must be cloudstack, cloudeka, kubernetes, oke or ocm (got '$server')" >&2
    exit 2
    ;;
esac
[ -n "$out" ] || { echo "build.sh: OUT_DIR missing" >&2; exit 2; }

# The app, the workspace packages it bundles, and the root's build tools (tsup, typescript), as locked.
pnpm install --frozen-lockfile --filter "@cloudmcp/$server..." --filter cloudmcp
pnpm --filter "@cloudmcp/$server..." run build
mkdir -p "$out"
pnpm --filter "@cloudmcp/$server" pack --pack-destination "$out"
