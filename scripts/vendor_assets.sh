#!/usr/bin/env bash
# Refresh KaTeX from npm (`make vendor`). The files are committed, so the build and the tests never need
# npm or the network; run this only to upgrade the version below.
# - hooks/vendor/katex/katex.min.js: the library hooks/math_render.py runs at build time (in QuickJS) to
#   typeset every formula; the site never serves it (no page ships math JavaScript);
# - overrides/assets/vendor/katex/: the stylesheet and woff2 fonts the typeset formulas need, linked only
#   from pages with math.
# A new version changes the math cache's key (.cache/math), so every formula is typeset again once.
set -euo pipefail
KATEX=0.16.47          # KaTeX typesets the math of pages and notebooks (MathJax 4 would fetch fonts)
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/hooks/vendor/katex"
served="$root/overrides/assets/vendor/katex"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "katex@$KATEX")
k="$tmp/node_modules/katex/dist"
rm -rf "$build" "$served"; mkdir -p "$build" "$served/fonts"
cp "$k/katex.min.js" "$k/../LICENSE" "$build/"
cp "$k"/fonts/*.woff2 "$served/fonts/"
# Every browser that runs the site reads woff2: drop the woff/ttf fallbacks the CSS names, so it
# points at no file we do not ship.
sed -E 's/,url\(fonts\/[^)]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' "$k/katex.min.css" > "$served/katex.min.css"
cp "$k/../LICENSE" "$served/LICENSE"
echo "vendored KaTeX $KATEX: ${build#$root/} (build time) and ${served#$root/} (served)"
