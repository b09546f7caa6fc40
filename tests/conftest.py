"""Shared fixtures: the project's paths, one strict build of the real site, a throwaway copy of the
project for broken-input fixtures, and headless Chromium (Debian's package) driven by Playwright."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "scripts")]
import catalogue  # noqa: E402  (found through the path set just above)

MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WRITTEN = catalogue.written(catalogue.load())   # the questions that have a page
PROJECT_FILES = ["mkdocs.yml", "docs", "notebooks", "hooks", "overrides", "catalogue",
                 "requirements-notebooks.txt", ".cache"]


def mkdocs_build(project: Path, site: Path, **settings: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`; `settings` are environment variables mkdocs.yml reads (SITE_URL, ...)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_REPOSITORY", None)
    env.update(settings)
    return subprocess.run(MKDOCS + ["build", "--strict", "--site-dir", str(site)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def site() -> Path:
    """`mkdocs build --strict` of the real project into site/, as `make build` does."""
    out = ROOT / "site"
    res = mkdocs_build(ROOT, out)
    assert res.returncode == 0, f"strict build failed:\n{res.stdout}\n{res.stderr}"
    return out


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project to break; the conversion cache comes along so builds stay quick."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


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
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def close(self):
        self.context.close()


def search_results(page, query: str) -> list[str]:
    """Type `query` into Material's search box; return the result pages (path under questions/), best first."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material reads the query on keyup; fill() alone types no key
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=5000)
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


def open_page(offline_page, site: Path, name: str, scheme: str = "light") -> OfflinePage:
    """Open site/<name> from file:// in a fresh offline browser context."""
    p = offline_page(scheme)
    p.page.goto((site / name).as_uri())
    p.page.wait_for_load_state("load")
    return p


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
