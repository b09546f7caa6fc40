"""Measure the site (`make bench`): build times, page weights, search index, notebook runtimes.

Writes .cache/bench.md (a Markdown table, also printed). Build times are medians of --runs builds of a
scratch copy of the project, so the working tree and its cache are never touched:
- cold: no conversion cache;
- warm, one page edited / one notebook edited: cache filled, then one file changed;
- baseline: the same pages with the notebook hook removed (plain Material pages).
Page weight is a question page's HTML plus the figures it shows. The notebooks are also rendered
the plugin's default way (mkdocs-jupyter as a plugin, one page per notebook) for comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import stamps  # noqa: E402

import catalogue  # noqa: E402

COPY = ["mkdocs.yml", "docs", "notebooks", "hooks", "overrides", "catalogue", "requirements-notebooks.txt"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
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


def page_weight(site: Path, html: Path) -> int:
    text = html.read_text(encoding="utf-8")
    images = {(html.parent / src).resolve() for src in re.findall(r'<img[^>]+src="([^"]+)"', text)
              if not src.startswith(("data:", "http"))}
    return len(text.encode()) + sum(p.stat().st_size for p in images if p.is_file())


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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="builds per timing; the median is reported")
    ap.add_argument("--out", type=Path, default=ROOT / ".cache" / "bench.md")
    a = ap.parse_args(argv)
    written = catalogue.written(catalogue.load())
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        project = copy_project(tmp / "project")
        cache = project / ".cache"
        page = project / "docs" / written[0].page
        notebook = project / written[0].notebook
        page_text, nb_text = page.read_text(), notebook.read_text()

        cold = median_time(a.runs, lambda i: shutil.rmtree(cache, ignore_errors=True), project)
        build(project)  # fill the cache

        def edit_page(i):
            page.write_text(page_text + "\n" * (i + 1))

        def edit_notebook(i):  # a Markdown cell: the stamp stays fresh, the conversion must rerun
            nb = json.loads(nb_text)
            nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + " " * (i + 1)
            notebook.write_text(json.dumps(nb))

        warm_page = median_time(a.runs, edit_page, project)
        warm_notebook = median_time(a.runs, edit_notebook, project)
        page.write_text(page_text)
        notebook.write_text(nb_text)
        build(project)
        site = project / "site"
        weights = {q.stem: page_weight(site, site / q.html) for q in written}
        site_size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        index_size = (site / "search" / "search_index.json").stat().st_size

        plain = project / "mkdocs.plain.yml"
        plain.write_text((project / "mkdocs.yml").read_text().replace("  - hooks/notebooks.py\n", ""))
        baseline = median_time(a.runs, lambda i: None, project, plain.name)
        default = plugin_default_weights(tmp, [ROOT / q.notebook for q in written])

    runtimes = {q.stem: stamps.read_stamp(stamps.load(ROOT / q.notebook))["runtime_s"] for q in written}
    ours_total, default_total = sum(weights.values()), sum(default.values())
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1])[:3]
    rows = [
        ("Question pages", f"{len(written)}"),
        ("Cold build (no conversion cache)", f"{cold:.2f} s"),
        ("Warm rebuild, one page edited", f"{warm_page:.2f} s"),
        ("Warm rebuild, one notebook edited", f"{warm_notebook:.2f} s"),
        ("Same pages without notebooks (baseline)", f"{baseline:.2f} s"),
        ("Warm rebuild / baseline", f"{warm_page / baseline:.2f}x"),
        ("Page weight, median (HTML + figures)", kb(statistics.median(weights.values()))),
        ("Page weight, max", kb(max(weights.values()))),
        ("Heaviest pages", ", ".join(f"{s} {kb(w)}" for s, w in heaviest)),
        ("Whole site/", kb(site_size)),
        ("Search index", f"{kb(index_size)} ({kb(index_size / len(written))} per question page)"),
        ("Notebook runtime (stamps), median / max / total",
         f"{statistics.median(runtimes.values()):.1f} s / {max(runtimes.values()):.1f} s / "
         f"{sum(runtimes.values()):.1f} s"),
        ("Notebook pages the plugin's default way, median", kb(statistics.median(default.values()))),
        ("Plugin default / ours (all question pages)", f"{default_total / ours_total:.1f}x heavier"),
    ]
    table = "| Measure | Value |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    report = (f"# Bench\n\nMedians of {a.runs} builds on this machine ({os.cpu_count()} cores); "
              f"times are noisy on a shared machine, ratios less so.\n\n{table}\n")
    a.out.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
