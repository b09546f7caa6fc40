"""Check one question the way the suite would, without running the whole suite (`make check Q=easy/15`).

    python scripts/check_question.py easy/15      # or medium/14-<slug>, or a slug

1. build: `mkdocs build --strict` into a temporary folder (site/ is left alone);
2. lint: the content rules for this page, its notebook and its search queries (scripts/content_lint.py);
3. seeds: its notebook's asserts on NOTEBOOK_SEED 0 and 1, writing nothing (as `make robustness NB=...`);
4. search: its queries from tests/search_queries.yml typed into the built site's search box (Chromium).
Every step runs even when an earlier one fails; the exit status is 1 if any failed.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]
import content_lint  # noqa: E402

import catalogue  # noqa: E402

SEEDS = ["0", "1"]
TOP = 3   # the suite wants each page in the top three results of its queries (`first: true`: first)
# Material answers its first query once its worker has loaded the index: seconds on a busy machine.
ANSWERED = ("() => document.querySelector('.md-search-result__item') "
            "|| /No matching/.test(document.querySelector('.md-search-result__meta').textContent)")


def build(site: Path) -> tuple[bool, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                         env=env, capture_output=True, text=True)
    lines = res.stderr.strip().splitlines()
    if res.returncode == 0:
        return True, lines[-1] if lines else ""
    errors = [line for line in lines if line.startswith(("ERROR", "WARNING", "Aborted"))]
    return False, "\n".join(errors or lines[-5:])


def lint(q: catalogue.Question) -> tuple[bool, str]:
    report = content_lint.lint(q)
    return not report.problems, report.message()


def seeds(q: catalogue.Question) -> tuple[bool, str]:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), str(ROOT / q.notebook),
                          "--seeds", *SEEDS], capture_output=True, text=True)
    return res.returncode == 0, (res.stdout + res.stderr).strip()


def search(q: catalogue.Question, site: Path) -> tuple[bool, str]:
    """Each of the page's queries in the real search box of the built site, opened from file://."""
    from conftest import CHROMIUM, OfflinePage, search_results
    from playwright.sync_api import sync_playwright

    key = content_lint.page_key(q)
    cases = [c for c in content_lint.load_queries() if c.get("page") == key]
    if not cases:
        return False, f"no queries for {key} in tests/search_queries.yml"
    lines, ok = [], True
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = OfflinePage(browser)
        page.page.goto((site / "index.html").as_uri())
        wait_for_the_index(page.page)
        for case in cases:
            ranked = search_results(page.page, case["query"])
            want = 1 if case.get("first") else TOP
            hit = key in ranked[:want]
            ok &= hit
            where = f"#{ranked.index(key) + 1}" if key in ranked else "not found"
            lines.append(f"{'ok  ' if hit else 'MISS'} {case['query']!r}: {where} (want top {want}); "
                         f"top {TOP}: {ranked[:TOP]}")
        if page.external:
            ok = False
            lines.append(f"FAIL the search requested the network: {page.external[:3]}")
        browser.close()
    return ok, "\n".join(lines)


def wait_for_the_index(page) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("convolution")
    box.press("End")   # Material reads the query on keyup
    page.wait_for_function(ANSWERED, timeout=120_000)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: make check Q=<difficulty>/<n>, for example make check Q=easy/15", file=sys.stderr)
        return 2
    try:
        q = content_lint.find_question(args[0], catalogue.load())
    except content_lint.UnknownQuestion as e:
        print(e, file=sys.stderr)
        return 2
    if not (ROOT / "docs" / q.page).is_file():
        print(f"docs/{q.page}: no page yet; `make new Q={q.difficulty}/{q.n}` writes one", file=sys.stderr)
        return 1
    print(f"checking {content_lint.page_key(q)}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        steps = [("build", lambda: build(site)), ("lint", lambda: lint(q)), ("seeds 0 1", lambda: seeds(q)),
                 ("search", lambda: search(q, site) if (site / "index.html").is_file()
                  else (False, "skipped: the build failed"))]
        for name, step in steps:
            start = time.perf_counter()
            try:
                ok, detail = step()
            except Exception as e:   # a crashed step is a failed step; the others still run
                ok, detail = False, f"{type(e).__name__}: {e}"
            results.append((name, ok, time.perf_counter() - start))
            print(f"\n== {name}: {'ok' if ok else 'FAIL'} ({results[-1][2]:.0f} s)\n{detail}", flush=True)
    print("\n" + "\n".join(f"  {name:<10} {'ok  ' if ok else 'FAIL'} {t:5.1f} s" for name, ok, t in results))
    failed = [name for name, ok, _ in results if not ok]
    print(f"{content_lint.page_key(q)}: " + (f"failed: {', '.join(failed)}" if failed else "every check passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
