#!/usr/bin/env bash
# Reproduce jamaati/static/vendor/ from npm packages (developers only).
#
# `make demo` and `make test` never call npm: the vendored files are committed.
# Run this script only to upgrade a front-end package, then review the diff and
# commit jamaati/static/vendor/ (MANIFEST.md lists every file with its SHA-256).
set -euo pipefail

BOOTSTRAP=5.3.8
HTMX=2.0.11
LEAFLET=1.9.4
AXE=4.14.1
CHARTJS=4.6.1
FONTSOURCE=5.3.0

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/jamaati/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch <package@version> <dir>: npm pack into the work dir and unpack it
  local spec="$1" dir="$2"
  (cd "$WORK" && npm pack --silent "$spec" >"$WORK/$dir.name")
  mkdir -p "$WORK/$dir"
  tar xzf "$WORK/$(cat "$WORK/$dir.name")" -C "$WORK/$dir" --strip-components=1
}

# Source maps are not shipped: drop the comment that points at them, otherwise
# the hashed static storage fails on a missing file.
copy_without_map() {
  mkdir -p "$(dirname "$2")"
  sed -e '/^\/[*/]# sourceMappingURL=/d' "$1" >"$2"
}

rm -rf "$DEST"
mkdir -p "$DEST"

fetch "bootstrap@$BOOTSTRAP" bootstrap
copy_without_map "$WORK/bootstrap/dist/css/bootstrap.min.css" "$DEST/bootstrap/css/bootstrap.min.css"
copy_without_map "$WORK/bootstrap/dist/css/bootstrap.rtl.min.css" "$DEST/bootstrap/css/bootstrap.rtl.min.css"
copy_without_map "$WORK/bootstrap/dist/js/bootstrap.bundle.min.js" "$DEST/bootstrap/js/bootstrap.bundle.min.js"
cp "$WORK/bootstrap/LICENSE" "$DEST/bootstrap/LICENSE"

fetch "htmx.org@$HTMX" htmx
copy_without_map "$WORK/htmx/dist/htmx.min.js" "$DEST/htmx/htmx.min.js"
cp "$WORK/htmx/LICENSE" "$DEST/htmx/LICENSE"

fetch "leaflet@$LEAFLET" leaflet
copy_without_map "$WORK/leaflet/dist/leaflet.js" "$DEST/leaflet/leaflet.js"
copy_without_map "$WORK/leaflet/dist/leaflet.css" "$DEST/leaflet/leaflet.css"
mkdir -p "$DEST/leaflet/images"
cp "$WORK/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$WORK/leaflet/LICENSE" "$DEST/leaflet/LICENSE"

fetch "axe-core@$AXE" axe
copy_without_map "$WORK/axe/axe.min.js" "$DEST/axe-core/axe.min.js"
cp "$WORK/axe/LICENSE" "$DEST/axe-core/LICENSE"

# Chart.js: the UMD build only (one file, window.Chart), for the statistics pages.
fetch "chart.js@$CHARTJS" chartjs
copy_without_map "$WORK/chartjs/dist/chart.umd.min.js" "$DEST/chartjs/chart.umd.min.js"
cp "$WORK/chartjs/LICENSE.md" "$DEST/chartjs/LICENSE.md"

# Fonts: woff2 only, the subsets and weights jamaati.css declares. Arabic has one weight:
# its bold is synthesised, which saves 52 KB on the first Arabic page of a slow phone.
font() {  # font <package> <dir> <file>...
  local pkg="$1" dir="$2"
  shift 2
  fetch "@fontsource/$pkg@$FONTSOURCE" "$dir"
  mkdir -p "$DEST/fonts/$dir"
  for file in "$@"; do
    cp "$WORK/$dir/files/$file" "$DEST/fonts/$dir/$file"
  done
  cp "$WORK/$dir/LICENSE" "$DEST/fonts/$dir/LICENSE"
}
font noto-naskh-arabic noto-naskh-arabic \
  noto-naskh-arabic-arabic-400-normal.woff2
font noto-sans noto-sans \
  noto-sans-latin-400-normal.woff2 noto-sans-latin-700-normal.woff2 \
  noto-sans-latin-ext-400-normal.woff2 noto-sans-latin-ext-700-normal.woff2
font noto-sans-tifinagh noto-sans-tifinagh noto-sans-tifinagh-tifinagh-400-normal.woff2

# The manifest: package, version, licence, files (with SHA-256).
{
  echo "# Vendored front-end files"
  echo
  echo "Reproduced by \`scripts/vendor.sh\` (npm pack, nothing else from the packages;"
  echo "source-map comments removed). Never edit these files by hand."
  echo
  echo "| package | version | licence | directory |"
  echo "|---|---|---|---|"
  echo "| bootstrap | $BOOTSTRAP | MIT | bootstrap/ |"
  echo "| htmx.org | $HTMX | 0BSD | htmx/ |"
  echo "| leaflet | $LEAFLET | BSD-2-Clause | leaflet/ |"
  echo "| axe-core | $AXE | MPL-2.0 (browser tests only, no page loads it) | axe-core/ |"
  echo "| chart.js | $CHARTJS | MIT | chartjs/ |"
  echo "| @fontsource/noto-naskh-arabic | $FONTSOURCE | OFL-1.1 | fonts/noto-naskh-arabic/ |"
  echo "| @fontsource/noto-sans | $FONTSOURCE | OFL-1.1 | fonts/noto-sans/ |"
  echo "| @fontsource/noto-sans-tifinagh | $FONTSOURCE | OFL-1.1 | fonts/noto-sans-tifinagh/ |"
  echo
  echo "Each directory keeps the package's LICENSE file."
  echo
  echo "## Files"
  echo
  echo '```'
  (cd "$DEST" && find . -type f ! -name MANIFEST.md | sort | sed 's|^\./||' | xargs sha256sum)
  echo '```'
} >"$DEST/MANIFEST.md"

echo "Vendored into $DEST"
