#!/usr/bin/env bash
# Refresh the front-end files the browser needs offline (`make vendor`). They are committed, so the
# build and the tests never need npm or the network; run this only to upgrade a version below.
set -euo pipefail
KATEX=0.16.47          # KaTeX renders the math of pages and notebooks (MathJax 4 would fetch fonts)
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/overrides/assets/vendor"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "katex@$KATEX")
rm -rf "$dest"; mkdir -p "$dest/katex/fonts"
k="$tmp/node_modules/katex/dist"
cp "$k/katex.min.js" "$k/contrib/auto-render.min.js" "$dest/katex/"
cp "$k"/fonts/*.woff2 "$dest/katex/fonts/"
# Every browser that runs the site reads woff2: drop the woff/ttf fallbacks the CSS names, so it
# points at no file we do not ship.
sed -E 's/,url\(fonts\/[^)]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' "$k/katex.min.css" > "$dest/katex/katex.min.css"
cp "$k/../LICENSE" "$dest/katex/LICENSE"
echo "vendored KaTeX $KATEX into ${dest#$root/}"
