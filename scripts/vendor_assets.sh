#!/usr/bin/env bash
# Refresh the front-end files the browser needs offline (`make vendor`). They are committed, so the
# build and the tests never need npm or the network; run this only to upgrade a version below.
set -euo pipefail
KATEX=0.16.47          # KaTeX renders the math of pages and notebooks (MathJax 4 would fetch fonts)
IFRAME_WORKER=1.0.4    # lets Material's search worker run from file:// (else the offline plugin uses a CDN)
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/overrides/assets/vendor"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  "katex@$KATEX" "iframe-worker@$IFRAME_WORKER")
rm -rf "$dest"; mkdir -p "$dest/katex/fonts" "$dest/iframe-worker"
k="$tmp/node_modules/katex/dist"
cp "$k/katex.min.js" "$k/contrib/auto-render.min.js" "$dest/katex/"
cp "$k"/fonts/*.woff2 "$dest/katex/fonts/"
# Every browser that runs the site reads woff2: drop the woff/ttf fallbacks the CSS names, so it
# points at no file we do not ship.
sed -E 's/,url\(fonts\/[^)]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' "$k/katex.min.css" > "$dest/katex/katex.min.css"
cp "$k/../LICENSE" "$dest/katex/LICENSE"
cp "$tmp/node_modules/iframe-worker/shim/index.js" "$dest/iframe-worker/shim.js"
cp "$tmp/node_modules/iframe-worker/LICENSE" "$dest/iframe-worker/LICENSE"
echo "vendored KaTeX $KATEX and iframe-worker $IFRAME_WORKER into ${dest#$root/}"
