"""The README's screenshots of practice, the arithmetic drills and the mock interview (`.github/*.png`).

    make build && .venv/bin/python scripts/readme_screenshots.py [--site site]

Opens the built pages from file:// in Debian's Chromium through Playwright (as the tests do, network cut),
light theme. Practice: the first card revealed, its four grades showing when it would come back. The
drills: a fixed seed, the first problem answered wrongly by one so the verdict and the working show. The
mock interview: five mixed questions, the first answered after a minute and a half of the page's clock,
its answer and follow-ups revealed. Each is saved as a palette PNG (the README wants them under 80 KB).
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
DRILLS_SEED = 8    # a receptive-field problem first: the working shows the recursion layer by layer
VIEWPORT = {"width": 1280, "height": 940}
LIMIT = 80 * 1024


def drills(page, site: Path) -> None:
    page.goto((site / "drills.html").as_uri() + f"?seed={DRILLS_SEED}")
    page.wait_for_function("() => window.cnnDrills && window.cnnDrills.current()")
    answer = page.evaluate("() => cnnDrills.solve(cnnDrills.current()).answer")
    page.focus("#drills-input")
    page.keyboard.type(str(answer + 1))
    page.keyboard.press("Enter")


def practice(page, site: Path) -> None:
    page.goto((site / "practice.html").as_uri())
    page.keyboard.press("Space")


def mock(page, site: Path) -> None:
    page.clock.install()
    page.goto((site / "mock-interview.html").as_uri())
    page.select_option("#mock-count", "5")
    page.select_option("#mock-mix", "mixed")
    page.get_by_role("button", name="Start the interview").click()
    page.clock.run_for(95_000)
    page.keyboard.press("Space")
    # the card's top just under the sticky header, once Material's header has swapped in the page title
    page.evaluate("() => window.scrollTo(0, document.querySelector('.practice__card').offsetTop - 64)")
    page.add_style_tag(content=".md-top { display: none; }")   # "Back to top", shown by that scroll up
    page.wait_for_timeout(1000)


SHOTS = {"practice.png": practice, "drills.png": drills, "mock.png": mock}


def shoot(site: Path, out_dir: Path) -> dict[str, int]:
    sizes = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, stage in SHOTS.items():
            context = browser.new_context(color_scheme="light", viewport=VIEWPORT)
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                          else r.abort())
            page = context.new_page()
            stage(page, site)
            page.evaluate("() => document.activeElement.blur()")   # no focus ring, no caret
            png = page.screenshot()
            context.close()
            image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
            out_dir.mkdir(parents=True, exist_ok=True)
            image.save(out_dir / name, optimize=True)
            sizes[name] = (out_dir / name).stat().st_size
        browser.close()
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (make build)")
    parser.add_argument("--out-dir", type=Path, default=ROOT / ".github")
    args = parser.parse_args(argv)
    if not (args.site / "mock-interview.html").is_file():
        print(f"{args.site}/mock-interview.html not found: run `make build` first", file=sys.stderr)
        return 1
    sizes = shoot(args.site, args.out_dir)
    for name, size in sizes.items():
        print(f"{args.out_dir / name}: {size / 1024:.0f} KB")
    too_big = [name for name, size in sizes.items() if size > LIMIT]
    if too_big:
        print(f"over {LIMIT // 1024} KB: {too_big}; lower the colors or the viewport", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
