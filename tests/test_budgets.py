"""Measured budgets that are deterministic, enforced: page weight, search index size, notebook
runtime as stamped. Build times are reported by `make bench`, not timed here; the stamp's runtime is
not covered by its hash, so test_notebooks.py also measures each notebook on re-execution."""
from __future__ import annotations

import statistics

import stamps
from bench import page_weight
from conftest import ROOT, WRITTEN

KB = 1024


def test_question_page_weight_with_its_figures(site):
    weights = {q.stem: page_weight(site, site / q.html) for q in WRITTEN}
    heavy = {s: f"{w / KB:.0f} KB" for s, w in weights.items() if w > 250 * KB}
    assert not heavy, f"pages over 250 KB: {heavy}"
    assert statistics.median(weights.values()) <= 100 * KB


def test_search_index_size(site):
    size = (site / "search" / "search_index.json").stat().st_size
    assert size <= 25 * KB * len(WRITTEN), f"{size / KB:.0f} KB for {len(WRITTEN)} question pages"
    assert size <= 1536 * KB


def test_every_notebook_ran_within_30_seconds():
    slow = {q.notebook: stamps.read_stamp(stamps.load(ROOT / q.notebook))["runtime_s"] for q in WRITTEN}
    slow = {k: v for k, v in slow.items() if v > 30}
    assert not slow, f"over the 30 s budget (from their stamps): {slow}"
