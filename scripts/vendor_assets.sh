#!/usr/bin/env bash
# Refresh KaTeX and ts-fsrs from npm (`make vendor`). The files are committed, so the build and the tests never need
# npm or the network; run this only to upgrade the version below.
# - hooks/vendor/katex/katex.min.js: the library hooks/math_render.py runs at build time (in QuickJS) to
#   typeset every formula; the site never serves it (no page ships math JavaScript);
# - overrides/assets/vendor/katex/: the stylesheet and woff2 fonts the typeset formulas need, linked only
#   from pages with math.
# - overrides/assets/vendor/ts-fsrs/: the FSRS scheduler the practice deck runs in the browser (UMD build,
#   loaded only by practice.html), without its source-map comment (the map is not shipped).
# A new KaTeX version changes the math cache's key (.cache/math), so every formula is typeset again once.
set -euo pipefail
KATEX=0.16.47          # KaTeX typesets the math of pages and notebooks (MathJax 4 would fetch fonts)
TS_FSRS=5.4.2          # ts-fsrs schedules the practice deck's reviews (FSRS, the open-spaced-repetition project)
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/hooks/vendor/katex"
served="$root/overrides/assets/vendor/katex"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "katex@$KATEX" "ts-fsrs@$TS_FSRS")
k="$tmp/node_modules/katex/dist"
rm -rf "$build" "$served"; mkdir -p "$build" "$served/fonts"
cp "$k/katex.min.js" "$k/../LICENSE" "$build/"
cp "$k"/fonts/*.woff2 "$served/fonts/"
# Every browser that runs the site reads woff2: drop the woff/ttf fallbacks the CSS names, so it
# points at no file we do not ship.
sed -E 's/,url\(fonts\/[^)]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' "$k/katex.min.css" > "$served/katex.min.css"
cp "$k/../LICENSE" "$served/LICENSE"
fsrs="$root/overrides/assets/vendor/ts-fsrs"; f="$tmp/node_modules/ts-fsrs"
rm -rf "$fsrs"; mkdir -p "$fsrs"
grep -v '^//# sourceMappingURL=' "$f/dist/index.umd.js" > "$fsrs/ts-fsrs.umd.js"
cp "$f/LICENSE" "$fsrs/LICENSE"
echo "vendored ts-fsrs $TS_FSRS: ${fsrs#$root/}"
echo "vendored KaTeX $KATEX: ${build#$root/} (build time) and ${served#$root/} (served)"
