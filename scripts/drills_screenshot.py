"""The README's screenshot of the arithmetic drills: `.github/drills.png`, light theme, one answered problem.

    make build && .venv/bin/python scripts/drills_screenshot.py [--site site] [--out .github/drills.png]

Opens site/drills.html from file:// in Debian's Chromium through Playwright (as the tests do, network cut),
on a fixed seed, answers the first problem wrongly by one so the verdict and the working show, and saves
the window as a palette PNG (the README wants it under 80 KB).
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SEED = 8           # a receptive-field problem first: the working shows the recursion layer by layer
VIEWPORT = {"width": 1280, "height": 940}
LIMIT = 80 * 1024


def shoot(site: Path, out: Path) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(color_scheme="light", viewport=VIEWPORT)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = context.new_page()
        page.goto((site / "drills.html").as_uri() + f"?seed={SEED}")
        page.wait_for_function("() => window.cnnDrills && window.cnnDrills.current()")
        answer = page.evaluate("() => cnnDrills.solve(cnnDrills.current()).answer")
        page.focus("#drills-input")
        page.keyboard.type(str(answer + 1))
        page.keyboard.press("Enter")
        page.evaluate("() => document.activeElement.blur()")   # no focus ring, no caret
        png = page.screenshot()
        browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (make build)")
    parser.add_argument("--out", type=Path, default=ROOT / ".github" / "drills.png")
    args = parser.parse_args(argv)
    if not (args.site / "drills.html").is_file():
        print(f"{args.site}/drills.html not found: run `make build` first", file=sys.stderr)
        return 1
    size = shoot(args.site, args.out)
    print(f"{args.out}: {size / 1024:.0f} KB")
    if size > LIMIT:
        print(f"over {LIMIT // 1024} KB: lower the colors or the viewport", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
