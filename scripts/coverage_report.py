"""List the catalogue questions that have no page yet (`make coverage`)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import catalogue  # noqa: E402


def main() -> None:
    questions = catalogue.load()
    written = catalogue.written(questions)
    missing = [q for q in questions if q not in written]
    print(f"{len(questions) - len(missing)} of {len(questions)} questions have a page")
    for difficulty in catalogue.DIFFICULTIES:
        todo = [q for q in missing if q.difficulty == difficulty]
        total = sum(q.difficulty == difficulty for q in questions)
        print(f"\n{difficulty}: {total - len(todo)} of {total} written" + (", missing:" if todo else ""))
        for q in todo:
            print(f"  docs/{q.page}  {q.text}")


if __name__ == "__main__":
    main()
