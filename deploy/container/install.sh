#!/bin/sh
# Installs a packed server into PREFIX the way a user installs it (`npm install <tarball>`, no dev
# dependencies), then links its bin as PREFIX/bin/<bin> and PREFIX/bin/cloudmcp-server (the image's
# ENTRYPOINT). The bundle inlines its dependencies and declares only optional peers, so PREFIX/node_modules
# holds the one package; the Containerfile's runtime stage copies PREFIX as it is.
#   sh deploy/container/install.sh TARBALL PREFIX
set -eu
tarball="${1:-}"
prefix="${2:-}"
[ -f "$tarball" ] && [ -n "$prefix" ] || { echo "install.sh: usage: install.sh TARBALL PREFIX" >&2; exit 2; }
case "$tarball" in /*) ;; *) tarball="$(pwd)/$tarball" ;; esac

mkdir -p "$prefix/bin"
cd "$prefix"
printf '{ "private": true }\n' >package.json
npm install --omit=dev --no-fund --no-audit --no-update-notifier --loglevel=error "$tarball"

name="$(tar -xzOf "$tarball" package/package.json | node -e \
  'let s="";process.stdin.on("data",(c)=>{s+=c}).on("end",()=>{const p=JSON.parse(s);console.log(p.name+" "+Object.keys(p.bin)[0])})')"
package="${name% *}"
bin="${name#* }"
ln -sf "../node_modules/.bin/$bin" "bin/$bin"
ln -sf "$bin" bin/cloudmcp-server
echo "install.sh: $package as $prefix/bin/$bin ($("$prefix/bin/cloudmcp-server" --version))" >&2
