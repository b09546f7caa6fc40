"""Measured budgets that are deterministic, enforced: page weight, search index size, notebook
runtime as stamped. Build times are reported by `make bench`, not timed here; the stamp's runtime is
not covered by its hash, so test_notebooks.py also measures each notebook on re-execution."""
from __future__ import annotations

import statistics

import stamps
from bench import page_weight, served_weight
from conftest import ROOT, WRITTEN

KB = 1024


def test_question_page_weight_with_its_figures(site):
    """What a reader downloads for a question page: its HTML as a static host serves it (gzip) plus its
    figures. Formulas arrive typeset in the HTML (KaTeX's markup, which compresses about 6:1) and no page
    loads a math script: before build-time math every page also fetched 78 KB (gzip) of KaTeX JavaScript,
    which this measure never counted. The file as stored (offline copy) has a looser ceiling of its own."""
    served = {q.stem: served_weight(site, site / q.html) for q in WRITTEN}
    heavy = {s: f"{w / KB:.0f} KB" for s, w in served.items() if w > 150 * KB}
    assert not heavy, f"pages over 150 KB as served: {heavy}"
    assert statistics.median(served.values()) <= 60 * KB, f"median {statistics.median(served.values()) / KB:.0f} KB"
    stored = {q.stem: page_weight(site, site / q.html) for q in WRITTEN}
    big = {s: f"{w / KB:.0f} KB" for s, w in stored.items() if w > 400 * KB}
    assert not big, f"pages over 400 KB as stored: {big}"


def test_search_index_size(site):
    size = (site / "search" / "search_index.json").stat().st_size
    assert size <= 25 * KB * len(WRITTEN), f"{size / KB:.0f} KB for {len(WRITTEN)} question pages"
    assert size <= 1536 * KB


def test_every_notebook_ran_within_30_seconds():
    slow = {q.notebook: stamps.read_stamp(stamps.load(ROOT / q.notebook))["runtime_s"] for q in WRITTEN}
    slow = {k: v for k, v in slow.items() if v > 30}
    assert not slow, f"over the 30 s budget (from their stamps): {slow}"
