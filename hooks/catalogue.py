"""The question catalogue (catalogue/questions.yml) and where each question's files live.

Imported by the MkDocs hooks, the scripts and the tests: the one place that knows that question
<difficulty> <n> is the page docs/questions/<difficulty>/<NN>-<slug>.md and the notebook
notebooks/<difficulty>/<NN>-<slug>.ipynb.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue" / "questions.yml"
DIFFICULTIES = ("easy", "medium", "hard")
EXPECTED_COUNTS = {"easy": 20, "medium": 19, "hard": 20}
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: every build reads this
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CatalogueError(Exception):
    """The catalogue file itself is malformed."""


@dataclass(frozen=True)
class Question:
    difficulty: str
    n: int
    slug: str
    text: str
    tags: tuple[str, ...]

    @property
    def stem(self) -> str:
        return f"{self.n:02d}-{self.slug}"

    @property
    def page(self) -> str:
        """Path of the page relative to docs/."""
        return f"questions/{self.difficulty}/{self.stem}.md"

    @property
    def html(self) -> str:
        """Path of the built page relative to site/ (the site does not use directory URLs)."""
        return f"questions/{self.difficulty}/{self.stem}.html"

    @property
    def notebook(self) -> str:
        """Path of the notebook relative to the project root."""
        return f"notebooks/{self.difficulty}/{self.stem}.ipynb"


def load(path: Path = CATALOGUE, allowed_tags: set[str] | None = None) -> list[Question]:
    """Read and validate the catalogue; every problem found is reported at once, naming the file."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as e:
        raise CatalogueError(f"{path}: cannot read the question catalogue: {e}") from e
    problems, questions = [], []
    if not isinstance(data, dict) or set(data) != set(DIFFICULTIES):
        raise CatalogueError(f"{path}: want exactly the top-level keys {', '.join(DIFFICULTIES)}")
    for difficulty in DIFFICULTIES:
        for i, entry in enumerate(data[difficulty] or [], start=1):
            where = f"{difficulty} #{i}"
            if not isinstance(entry, dict) or set(entry) != {"n", "slug", "text", "tags"}:
                problems.append(f"{where}: want the keys n, slug, text, tags")
                continue
            if entry["n"] != i:
                problems.append(f"{where}: n is {entry['n']}, want {i} (numbers run 1, 2, 3, ... in order)")
            if not isinstance(entry["slug"], str) or not SLUG.match(entry["slug"]):
                problems.append(f"{where}: slug {entry['slug']!r} is not lower-case words joined by '-'")
            tags = entry["tags"] if isinstance(entry["tags"], list) else []
            if not 2 <= len(tags) <= 4:
                problems.append(f"{where}: want 2-4 tags, got {entry['tags']!r}")
            if allowed_tags is not None:
                problems += [f"{where}: tag {t!r} is not in tags_allowed in mkdocs.yml"
                             for t in tags if t not in allowed_tags]
            questions.append(Question(difficulty, entry["n"], str(entry["slug"]), str(entry["text"]).strip(),
                                      tuple(tags)))
    seen: dict[str, Question] = {}
    for q in questions:
        if q.slug in seen:
            problems.append(f"{q.difficulty} #{q.n}: slug {q.slug!r} is already used by "
                            f"{seen[q.slug].difficulty} #{seen[q.slug].n}")
        seen[q.slug] = q
    if problems:
        raise CatalogueError(f"{path}: " + "; ".join(problems))
    return questions


def written(questions: list[Question], docs_dir: Path = ROOT / "docs") -> list[Question]:
    """The questions that have a page under docs_dir, in catalogue order."""
    return [q for q in questions if (Path(docs_dir) / q.page).is_file()]


def by_slug(questions: list[Question]) -> dict[str, Question]:
    return {q.slug: q for q in questions}


def by_page(questions: list[Question]) -> dict[str, Question]:
    return {q.page: q for q in questions}
