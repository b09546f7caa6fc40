"""axe-core over every kind of page, in Chromium from file://: no serious or critical violation."""
from __future__ import annotations

import pytest
from conftest import WRITTEN

PAGE_KINDS = {"home": "index.html", "topics": "topics.html", "practice": "practice.html",
              "mock interview": "mock-interview.html", "drills": "drills.html",
              "cheat sheet": "cheat-sheet.html", "interviewer's kit": "interviewer-kit.html",
              "glossary": "glossary.html", "question": WRITTEN[0].html}
# Rules excluded, each with its reason (none so far).
EXCLUDED_RULES: dict[str, str] = {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_or_critical_accessibility_violation(kind, scheme, site, offline_page):
    p = offline_page(scheme)
    p.page.goto((site / PAGE_KINDS[kind]).as_uri())
    serious = p.serious_accessibility_violations(rules_off=EXCLUDED_RULES)
    assert not serious, "\n".join(serious)
    assert not p.errors and not p.external
