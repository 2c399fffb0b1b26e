#!/usr/bin/env bash
# Re-vendor the browser libraries from the npm registry into src/yingji/apps/core/static/vendor/.
# Run by a developer when a version changes; the result is committed, so runtime needs no Node.
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/src/yingji/apps/core/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # fetch NAME VERSION
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*.tgz -C "$1" && rm ./*.tgz)
}
fetch leaflet 1.9.4
fetch htmx.org 2.0.11
rm -rf "$dest/leaflet" "$dest/htmx"
mkdir -p "$dest/leaflet" "$dest/htmx"
cp "$tmp/leaflet/package/dist/leaflet.js" "$tmp/leaflet/package/dist/leaflet.css" "$dest/leaflet/"
cp -r "$tmp/leaflet/package/dist/images" "$dest/leaflet/"
cp "$tmp/leaflet/package/LICENSE" "$dest/leaflet/LICENSE"
cp "$tmp/htmx.org/package/dist/htmx.min.js" "$dest/htmx/"
cp "$tmp/htmx.org/package/LICENSE" "$dest/htmx/LICENSE"
cat > "$dest/VERSIONS.md" <<TXT
# Vendored browser libraries (from the npm registry by scripts/vendor_static.sh)
| package | version | licence | files |
|---|---|---|---|
| leaflet | 1.9.4 | BSD-2-Clause (leaflet/LICENSE) | leaflet.js, leaflet.css, images/ |
| htmx.org | 2.0.11 | 0BSD (htmx/LICENSE) | htmx.min.js |
TXT
echo "vendored into $dest"
