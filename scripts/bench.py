"""Measure the site (`make bench`): build times, page weights, search index, notebook runtimes, Lighthouse.

Writes .cache/bench.md (Markdown tables, also printed). Nothing here runs in `make test`: timings on a
shared 2-core machine are too noisy to fail a suite on.

Build times are medians of --runs builds of a scratch copy of the project, so the working tree and its
caches are never touched:
- cold: no conversion cache and no math cache, for the written pages and for a copy filled to the whole
  catalogue (each unwritten question gets a clone of a written page and its notebook, under its own
  title, so all 59 pages convert and typeset);
- warm, one page edited / one notebook edited: caches filled, then one file changed;
- baseline: the same pages with the notebook hook removed (plain Material pages, math still typeset).
Page weight is a question page's HTML plus the figures it shows, as stored and as served (gzip).

Lighthouse 12.8 (npm; installed into .cache/lighthouse on first use) runs on Debian's Chromium against the
built site served over loopback with gzip and the cache headers GitHub Pages sends (`Cache-Control:
max-age=600`, ETag): the home, topics and practice pages and three question pages (the heaviest, the
median weight, the one with the most formulas), in mobile and desktop modes, median of
--lighthouse-runs runs, checked against the budgets of issue 14.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import http.server
import json
import mimetypes
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import stamps  # noqa: E402

import catalogue  # noqa: E402

COPY = ["mkdocs.yml", "docs", "notebooks", "hooks", "overrides", "catalogue", "requirements-notebooks.txt"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
MODES = ("mobile", "desktop")
# Issue 14's budgets, per page and mode.
BUDGETS = {"performance": {"mobile": 0.90, "desktop": 0.95}, "accessibility": 1.0, "best-practices": 1.0,
           "cls": 0.02, "mobile_tbt_ms": 200}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# ---- builds ---------------------------------------------------------------------------------------------

def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name,
                                                             **({"ignore": shutil.ignore_patterns("__pycache__")}
                                                                if src.is_dir() else {}))
    return dest


def build(project: Path, config: str = "mkdocs.yml") -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config], cwd=project, env=ENV,
                   check=True)
    return time.perf_counter() - start


def median_time(runs: int, prepare, project: Path, config: str = "mkdocs.yml") -> float:
    times = []
    for i in range(runs):
        prepare(i)
        times.append(build(project, config))
    return statistics.median(times)


def drop_caches(project: Path) -> None:
    for name in ("notebooks", "math"):
        shutil.rmtree(project / ".cache" / name, ignore_errors=True)


def fill_catalogue(project: Path) -> int:
    """Give every unwritten catalogue question a clone of a written page and notebook, under its own
    title and tags (the notebook's title cell too, so no two notebooks are the same bytes)."""
    questions = catalogue.load(project / "catalogue" / "questions.yml")
    written = catalogue.written(questions, str(project / "docs"))
    added = 0
    for i, q in enumerate(q for q in questions if q not in written):
        src = written[i % len(written)]
        text = (project / "docs" / src.page).read_text(encoding="utf-8")
        front, body = re.match(r"^(---\n.*?\n---\n)(.*)$", text, flags=re.S).groups()
        related = [s for s in re.search(r"^related: \[(.*)\]$", front, flags=re.M).group(1).split(", ") if s != q.slug]
        front = re.sub(r"^difficulty: .*$", f"difficulty: {q.difficulty}", front, flags=re.M)
        front = re.sub(r"^tags: .*$", f"tags: [{', '.join(q.tags)}]", front, flags=re.M)
        front = re.sub(r"^related: .*$", f"related: [{', '.join(related or [src.slug])}]", front, flags=re.M)
        title = f"# {q.text}"
        body = re.sub(r"^# .+$", lambda _, title=title: title, body, count=1, flags=re.M)
        (project / "docs" / q.page).write_text(front + body, encoding="utf-8")
        nb = json.loads((project / src.notebook).read_text(encoding="utf-8"))
        nb["cells"][0]["source"] = f"# {q.text}\n\nA clone of {src.notebook} for the bench."
        (project / q.notebook).parent.mkdir(parents=True, exist_ok=True)
        (project / q.notebook).write_text(json.dumps(nb), encoding="utf-8")
        added += 1
    return added


# ---- weights --------------------------------------------------------------------------------------------

def figures_of(html: Path, text: str) -> set[Path]:
    return {(html.parent / src).resolve() for src in re.findall(r'<img[^>]+src="([^"]+)"', text)
            if not src.startswith(("data:", "http"))}


def page_weight(site: Path, html: Path) -> int:
    """A page's HTML as stored plus the figures it shows."""
    text = html.read_text(encoding="utf-8")
    return len(text.encode()) + sum(p.stat().st_size for p in figures_of(html, text) if p.is_file())


def served_weight(site: Path, html: Path) -> int:
    """What a reader downloads for a page: its HTML gzip-compressed, as static hosts serve it, plus its figures."""
    text = html.read_text(encoding="utf-8")
    return len(gzip.compress(text.encode(), 6)) + sum(p.stat().st_size for p in figures_of(html, text)
                                                      if p.is_file())


def formulas(html: Path) -> int:
    return html.read_text(encoding="utf-8").count('<span class="katex">')


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def plugin_default_weights(tmp: Path, notebooks: list[Path]) -> dict[str, int]:
    """Each notebook as mkdocs-jupyter renders it by default: a page of its own."""
    project = tmp / "plugin-default"
    (project / "docs").mkdir(parents=True)
    for nb in notebooks:
        shutil.copy2(nb, project / "docs" / f"{nb.parent.name}-{nb.name}")
    (project / "docs" / "index.md").write_text("# Notebooks\n")
    (project / "mkdocs.yml").write_text("site_name: plugin default\ntheme: {name: material, font: false}\n"
                                        "use_directory_urls: false\nplugins: [search, mkdocs-jupyter]\n")
    build(project)
    return {nb.stem: (project / "site" / f"{nb.parent.name}-{nb.stem}.html").stat().st_size for nb in notebooks}


# ---- a static host on loopback, as GitHub Pages serves ---------------------------------------------------

class StaticHost(http.server.BaseHTTPRequestHandler):
    """Files from one folder, gzip-compressed when the client accepts it, with GitHub Pages' cache headers."""
    protocol_version = "HTTP/1.1"
    root: Path = Path(".")
    _gzipped: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        rel = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        path = (self.root / rel).resolve()
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_relative_to(self.root) or not path.is_file():
            path, status = self.root / "404.html", 404
        body = path.read_bytes()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        encoding = None
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            if path not in self._gzipped:
                self._gzipped[path] = gzip.compress(body, 6)
            body, encoding = self._gzipped[path], "gzip"
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Host", (StaticHost,), {"root": site.resolve(), "_gzipped": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---- Lighthouse -----------------------------------------------------------------------------------------

def lighthouse_bin() -> Path:
    """npm's lighthouse at the pinned version, installed into .cache/lighthouse on first use."""
    exe = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    pkg = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    if not (exe.exists() and pkg.is_file() and json.loads(pkg.read_text())["version"] == LIGHTHOUSE):
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR),
                        f"lighthouse@{LIGHTHOUSE}"], check=True)
    return exe


def lighthouse_run(exe: Path, url: str, mode: str, out: Path) -> dict:
    cmd = [str(exe), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-path={CHROMIUM}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
           "--only-categories=performance,accessibility,best-practices"]
    if mode == "desktop":
        cmd.append("--preset=desktop")
    subprocess.run(cmd, check=True, timeout=600, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    cats, audits = report["categories"], report["audits"]
    failing = sorted(a["id"] for c in ("accessibility", "best-practices") for a in cats[c]["auditRefs"]
                     if a["weight"] and (audits[a["id"]].get("score") is not None) and audits[a["id"]]["score"] < 1)
    return {"performance": cats["performance"]["score"], "accessibility": cats["accessibility"]["score"],
            "best-practices": cats["best-practices"]["score"],
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"], "failing": failing}


def lighthouse_pages(site: Path) -> dict[str, str]:
    """The home, topics and practice pages and three question pages: heaviest, median weight, most math."""
    questions = sorted(site.glob("questions/*/*.html"))
    by_weight = sorted(questions, key=lambda p: page_weight(site, p))
    chosen = {"home": "index.html", "topics": "topics.html", "practice": "practice.html"}
    picks = [("heaviest question", by_weight[-1]), ("median question", by_weight[(len(by_weight) - 1) // 2]),
             ("most math", max(questions, key=formulas))]
    taken: set[Path] = set()
    for label, page in picks:
        if page in taken:   # one page can be two of these: take the next one in that ranking
            ranking = (sorted(questions, key=formulas, reverse=True) if label == "most math" else
                       sorted(questions, key=lambda p: abs(by_weight.index(p) - by_weight.index(page))))
            page = next(p for p in ranking if p not in taken)
        taken.add(page)
        chosen[f"{label}: {page.stem}"] = page.relative_to(site).as_posix()
    return chosen


def median_result(runs: list[dict]) -> dict:
    keys = ("performance", "accessibility", "best-practices", "fcp", "lcp", "tbt", "cls", "bytes")
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["failing"] = sorted({a for r in runs for a in r["failing"]})
    return out


def budget_problems(mode: str, r: dict) -> list[str]:
    problems = []
    if r["performance"] < BUDGETS["performance"][mode]:
        problems.append(f"performance {r['performance']:.2f} < {BUDGETS['performance'][mode]}")
    for cat in ("accessibility", "best-practices"):
        if r[cat] < BUDGETS[cat]:
            problems.append(f"{cat} {r[cat]:.2f} ({', '.join(r['failing'])})")
    if r["cls"] >= BUDGETS["cls"]:
        problems.append(f"CLS {r['cls']:.3f}")
    if mode == "mobile" and r["tbt"] >= BUDGETS["mobile_tbt_ms"]:
        problems.append(f"TBT {r['tbt']:.0f} ms")
    return problems


def lighthouse_table(site: Path, runs: int, pages: dict[str, str]) -> tuple[str, bool]:
    exe = lighthouse_bin()
    server, base = serve(site)
    rows, ok = [], True
    try:
        with tempfile.TemporaryDirectory() as t:
            for label, page in pages.items():
                for mode in MODES:
                    results = [lighthouse_run(exe, f"{base}/{page}", mode, Path(t) / f"r{i}.json") for i in range(runs)]
                    r = median_result(results)
                    problems = budget_problems(mode, r)
                    ok &= not problems
                    rows.append(f"| {label} | {mode} | {r['performance']:.2f} | {r['accessibility']:.2f} | "
                                f"{r['best-practices']:.2f} | {r['fcp'] / 1000:.2f} s | {r['lcp'] / 1000:.2f} s | "
                                f"{r['tbt']:.0f} ms | {r['cls']:.3f} | {kb(r['bytes'])} | "
                                f"{'met' if not problems else 'MISSED: ' + '; '.join(problems)} |")
                    print(rows[-1], flush=True)
    finally:
        server.shutdown()
    head = ("| Page | Mode | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS | Bytes | Budgets |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    return head + "\n".join(rows), ok


# ---- the report -----------------------------------------------------------------------------------------

def build_rows(runs: int, tmp: Path) -> tuple[list[tuple[str, str]], Path]:
    written = catalogue.written(catalogue.load())
    project = copy_project(tmp / "project")
    page = project / "docs" / written[0].page
    notebook = project / written[0].notebook
    page_text, nb_text = page.read_text(), notebook.read_text()

    cold = median_time(runs, lambda i: drop_caches(project), project)
    build(project)  # fill the caches

    def edit_page(i):
        page.write_text(page_text + "\n" * (i + 1))

    def edit_notebook(i):  # a Markdown cell: the stamp stays fresh, the conversion must rerun
        nb = json.loads(nb_text)
        nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + " " * (i + 1)
        notebook.write_text(json.dumps(nb))

    warm_page = median_time(runs, edit_page, project)
    warm_notebook = median_time(runs, edit_notebook, project)
    page.write_text(page_text)
    notebook.write_text(nb_text)
    build(project)
    site = project / "site"
    weights = {q.stem: page_weight(site, site / q.html) for q in written}
    served = {q.stem: served_weight(site, site / q.html) for q in written}
    site_size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index_size = (site / "search" / "search_index.json").stat().st_size

    plain = project / "mkdocs.plain.yml"
    plain.write_text((project / "mkdocs.yml").read_text().replace("  - hooks/notebooks.py\n", ""))
    baseline = median_time(runs, lambda i: None, project, plain.name)

    full = copy_project(tmp / "full-catalogue")
    added = fill_catalogue(full)
    n_full = len(catalogue.written(catalogue.load(full / "catalogue" / "questions.yml"), str(full / "docs")))
    cold_full = median_time(runs, lambda i: drop_caches(full), full)

    default = plugin_default_weights(tmp, [ROOT / q.notebook for q in written])
    runtimes = {q.stem: stamps.read_stamp(stamps.load(ROOT / q.notebook))["runtime_s"] for q in written}
    ours_total, default_total = sum(weights.values()), sum(default.values())
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1])[:3]
    rows = [
        ("Question pages", f"{len(written)}"),
        ("Cold build (no conversion or math cache)", f"{cold:.2f} s"),
        (f"Cold build, catalogue filled to {n_full} pages ({added} cloned; budget 30 s)", f"{cold_full:.2f} s"),
        ("Warm rebuild, one page edited", f"{warm_page:.2f} s"),
        ("Warm rebuild, one notebook edited", f"{warm_notebook:.2f} s"),
        ("Same pages without notebooks (baseline)", f"{baseline:.2f} s"),
        ("Warm rebuild / baseline (budget 1.3x)", f"{warm_page / baseline:.2f}x"),
        ("Page weight, median (HTML + figures, stored / served gzip)",
         f"{kb(statistics.median(weights.values()))} / {kb(statistics.median(served.values()))}"),
        ("Page weight, max (stored / served gzip)", f"{kb(max(weights.values()))} / {kb(max(served.values()))}"),
        ("Heaviest pages", ", ".join(f"{s} {kb(w)}" for s, w in heaviest)),
        ("Whole site/", kb(site_size)),
        ("Search index", f"{kb(index_size)} ({kb(index_size / len(written))} per question page)"),
        ("Notebook runtime (stamps), median / max / total",
         f"{statistics.median(runtimes.values()):.1f} s / {max(runtimes.values()):.1f} s / "
         f"{sum(runtimes.values()):.1f} s"),
        ("Notebook pages the plugin's default way, median", kb(statistics.median(default.values()))),
        ("Plugin default / ours (all question pages)", f"{default_total / ours_total:.1f}x heavier"),
    ]
    return rows, site


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="builds per timing; the median is reported")
    ap.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page and mode (median)")
    ap.add_argument("--no-builds", action="store_true", help="Lighthouse only (with --site)")
    ap.add_argument("--no-lighthouse", action="store_true", help="build times and weights only")
    ap.add_argument("--site", type=Path, help="run Lighthouse on this built site instead of the bench's build")
    ap.add_argument("--pages", nargs="+", help="Lighthouse these pages (paths in the site) instead of the six")
    ap.add_argument("--out", type=Path, default=ROOT / ".cache" / "bench.md")
    a = ap.parse_args(argv)
    if a.no_builds and not a.site:
        ap.error("--no-builds needs --site")
    sections, ok = [], True
    with tempfile.TemporaryDirectory() as t:
        site = a.site
        if not a.no_builds:
            rows, built = build_rows(a.runs, Path(t))
            site = site or built
            table = "| Measure | Value |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
            sections.append(f"## Builds and weights\n\nMedians of {a.runs} builds on this machine "
                            f"({os.cpu_count()} cores); times are noisy on a shared machine, ratios less so.\n\n"
                            f"{table}\n")
            print(sections[-1], flush=True)
        if not a.no_lighthouse:
            pages = {p: p for p in a.pages} if a.pages else lighthouse_pages(site)
            table, ok = lighthouse_table(site, a.lighthouse_runs, pages)
            sections.append(
                f"## Lighthouse {LIGHTHOUSE}\n\nMedian of {a.lighthouse_runs} runs per page and mode, Debian's "
                f"Chromium, the site served over loopback with gzip and `Cache-Control: max-age=600`. Budgets: "
                f"performance >= {BUDGETS['performance']['desktop']} desktop and >= "
                f"{BUDGETS['performance']['mobile']} mobile, accessibility and best practices 1.0, CLS < "
                f"{BUDGETS['cls']}, mobile TBT < {BUDGETS['mobile_tbt_ms']} ms. "
                f"{'Every budget is met.' if ok else 'Some budgets are missed (last column).'}\n\n{table}\n")
    report = "# Bench\n\n" + "\n".join(sections)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(report)
    print(f"written to {a.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
