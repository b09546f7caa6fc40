"""Shared fixtures: the project's paths, one strict build of the real site, a throwaway copy of the
project for broken-input fixtures, and headless Chromium (Debian's package) driven by Playwright.

Every build happens in a temporary folder, on a snapshot of the project: the checkout's own site/ and
.cache/ are never written, so a `make serve` or `make build` running beside the tests cannot clobber
the tests' site, nor the tests theirs. The checkout's conversion cache, when there is one, is copied in
to keep the session build quick; broken-input copies take the session build's warm cache."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import axe_playwright_python
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "scripts")]
import catalogue  # noqa: E402  (found through the path set just above)

MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WRITTEN = catalogue.written(catalogue.load())   # the questions that have a page
PROJECT_FILES = ["mkdocs.yml", "docs", "notebooks", "hooks", "overrides", "catalogue",
                 "requirements-notebooks.txt"]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
CONVERSION_CACHE = Path(".cache") / "notebooks"   # hooks/notebooks.py keeps it beside mkdocs.yml


def copy_project(dest: Path, cache_from: Path | None = None) -> Path:
    """The files a build reads, copied into `dest`, with the conversion cache of `cache_from` (only read)."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    if cache_from is not None and (cache_from / CONVERSION_CACHE).is_dir():
        shutil.copytree(cache_from / CONVERSION_CACHE, dest / CONVERSION_CACHE)
    return dest


def mkdocs_build(project: Path, site: Path, **settings: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`; `settings` are environment variables mkdocs.yml reads (SITE_URL, ...)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_REPOSITORY", None)
    env.update(settings)
    return subprocess.run(MKDOCS + ["build", "--strict", "--site-dir", str(site)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    """A snapshot of the project in a temporary folder: the session's builds run there."""
    return copy_project(tmp_path_factory.mktemp("session") / "project", cache_from=ROOT)


@pytest.fixture(scope="session")
def site(project) -> Path:
    """`mkdocs build --strict` of the real project, as `make build` does, into a temporary site/."""
    out = project.parent / "site"
    res = mkdocs_build(project, out)
    assert res.returncode == 0, f"strict build failed:\n{res.stdout}\n{res.stderr}"
    return out


@pytest.fixture
def project_copy(site, project, tmp_path) -> Path:
    """A copy of the project to break, with the session build's conversion cache so builds stay quick."""
    return copy_project(tmp_path / "project", cache_from=project)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium; or set CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


class OfflinePage:
    """A browser page that aborts and records every request to a non-file: URL and every console error."""

    def __init__(self, browser, color_scheme="light"):
        self.context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.inflight: set = set()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.inflight.add(r))
        self.page.on("requestfinished", lambda r: self.inflight.discard(r))
        self.page.on("requestfailed", lambda r: self.inflight.discard(r))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def wait_for_network_idle(self, quiet_ms: int = 500, timeout_ms: int = 30_000) -> None:
        """Until no request has been in flight for `quiet_ms` (Playwright's "networkidle" counts only
        from the page's load, and says nothing about what it waited on when it times out)."""
        quiet = waited = 0
        while quiet < quiet_ms:
            assert waited < timeout_ms, f"requests still in flight after {timeout_ms} ms: " \
                                        f"{sorted(r.url for r in self.inflight)[:5]}"
            self.page.wait_for_timeout(100)
            waited += 100
            quiet = quiet + 100 if not self.inflight else 0

    def close(self):
        self.context.close()

    def serious_accessibility_violations(self, rules_off=(), paused_clock=False) -> list[str]:
        """axe-core's serious and critical violations on the page as it stands, one line each.
        axe runs without `preload`: it would fetch the stylesheets over XHR, which file:// refuses with a
        console error. axe ends on a setTimeout(0), which never fires under a clock the test has paused, so
        there the clock is stepped until axe is done (without a bound, such a wait hung a CI run)."""
        self.page.evaluate(AXE_SOURCE)
        options = {"resultTypes": ["violations"], "preload": False,
                   "rules": {rule: {"enabled": False} for rule in rules_off}}
        self.page.evaluate("""o => { window.__axe = undefined;
            axe.run(document, o).then(r => { window.__axe = r.violations; }, e => { window.__axe = String(e); }); }""",
                           options)
        for _ in range(500):
            found = self.page.evaluate("() => window.__axe")
            if found is not None:
                break
            self.page.clock.run_for(10) if paused_clock else self.page.wait_for_timeout(10)
        assert isinstance(found, list), f"axe did not finish: {found}"
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in found if v["impact"] in ("serious", "critical")]


def search_results(page, query: str) -> list[str]:
    """Type `query` into Material's search box; return the result pages (path under questions/), best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material reads the query on keyup; fill() alone types no key
    # Wait for the cleared state (no result, no "... matching ..." line): the previous query's "No matching
    # documents" must not satisfy the wait for this query's results.
    page.wait_for_function("() => !document.querySelector('.md-search-result__item') && "
                           "!/matching/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=5000)
    box.fill(query)
    box.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__item') || /No matching/"
                           ".test(document.querySelector('.md-search-result__meta').textContent)", timeout=5000)
    page.wait_for_timeout(100)
    hrefs = page.locator(".md-search-result__item > .md-search-result__link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    ranked = []
    for href in hrefs:
        stem = re.split(r"[?#]", href)[0].removesuffix(".html").split("questions/")[-1]
        if stem not in ranked:
            ranked.append(stem)
    return ranked


def section_html(site: Path, q, anchor: str) -> str:
    """A built question page's section: what follows its `<h2 id=anchor>` up to the next h2."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / q.html).read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one(f"h2#{anchor}")
    assert heading, f"{q.html} has no section #{anchor}"
    parts = []
    for el in heading.find_next_siblings():
        if el.name == "h2":
            break
        parts.append(str(el))
    return "".join(parts)


def practice_cards(site: Path) -> list[dict]:
    """The deck practice mode and the mock interview read (assets/practice-data.js, a script)."""
    import json

    data = (site / "assets" / "practice-data.js").read_text(encoding="utf-8")
    return json.loads(data.removeprefix("window.PRACTICE_CARDS = ").strip().removesuffix(";"))


def open_page(offline_page, site: Path, name: str, scheme: str = "light") -> OfflinePage:
    """Open site/<name> from file:// in a fresh offline browser context."""
    p = offline_page(scheme)
    p.page.goto((site / name).as_uri())
    p.page.wait_for_load_state("load")
    return p


# Text nodes outside rendered math, code and scripts that still look like TeX: math KaTeX missed.
RAW_MATH = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("article") || document.body,
                                           NodeFilter.SHOW_TEXT);
  const skip = (n) => n.parentElement.closest(".katex, pre, code, script, style, .highlight, .jp-OutputArea");
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (skip(n)) continue;
    if (/\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$]*\\$|\\\\(frac|sum|mathbb|times|cdot)\\b/.test(n.textContent))
      found.push(n.textContent.trim().slice(0, 80));
  }
  return found;
}"""

BROKEN_IMAGES = """async () => {
  const imgs = [...document.images];
  imgs.forEach((img) => { img.loading = "eager"; });
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  return imgs.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src);
}"""


READING_TIME_MS = 60_000   # page time run after load: timers, polls and late scripts all get their turn


def open_and_settle(offline_page, site: Path, name: str):
    """Open a page from file:// with its clock under control, load every image, run a minute of page
    time, then wait until the network is idle: a request fired late is recorded before any assert."""
    p = offline_page()
    p.page.clock.install()
    p.page.goto((site / name).as_uri())
    p.page.wait_for_load_state("load")
    broken = p.page.evaluate(BROKEN_IMAGES)
    p.page.clock.run_for(READING_TIME_MS)
    p.page.clock.resume()
    p.wait_for_network_idle()
    return p, broken


def assert_works_offline(p, broken: list[str], name: str) -> None:
    assert not p.external, f"{name} requested the network: {p.external}"
    assert not p.errors, f"{name} logged console errors: {p.errors}"
    assert not broken, f"{name} has broken images: {broken}"
    assert not p.page.evaluate(RAW_MATH), f"{name} shows unrendered math"
    assert p.page.locator(".arithmatex").count() == p.page.locator(".arithmatex .katex").count()
    ids = p.page.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids)), f"{name} repeats an id: {sorted(i for i in ids if ids.count(i) > 1)[:5]}"


@pytest.fixture
def offline_page(browser):
    pages = []

    def make(color_scheme="light"):
        p = OfflinePage(browser, color_scheme)
        pages.append(p)
        return p

    yield make
    for p in pages:
        p.close()


def pytest_terminal_summary(terminalreporter):
    report_time_by_test_file(terminalreporter)
    report_notebook_runtimes(terminalreporter)


def report_time_by_test_file(terminalreporter):
    """Where the suite's time goes (setup included: the session build lands on the first test that needs it)."""
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for r in reports:
            if hasattr(r, "duration") and hasattr(r, "nodeid"):
                name = r.nodeid.split("::", 1)[0]
                totals[name] = totals.get(name, 0.0) + r.duration
    if totals:
        terminalreporter.section("time by test file")
        for name, t in sorted(totals.items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"  {t:7.1f} s  {name}")


def report_notebook_runtimes(terminalreporter):
    """Report the notebooks' runtimes from their stamps: the 30 s budget is tracked, not timed here."""
    import statistics

    import stamps

    rows = []
    for path in sorted((ROOT / "notebooks").glob("*/*.ipynb")):
        stamp = stamps.read_stamp(stamps.load(path)) or {}
        rows.append((stamp.get("runtime_s", float("nan")), path.relative_to(ROOT).as_posix()))
    if not rows:
        return
    times = [t for t, _ in rows if t == t]
    terminalreporter.section("notebook runtimes (from stamps; budget 30 s each)")
    if times:
        terminalreporter.write_line(f"{len(rows)} notebooks: median {statistics.median(times):.1f} s, "
                                    f"max {max(times):.1f} s, total {sum(times):.1f} s")
    for t, name in sorted(rows, reverse=True)[:5]:
        terminalreporter.write_line(f"  {t:6.1f} s  {name}" + ("  OVER BUDGET" if t > 30 else ""))
