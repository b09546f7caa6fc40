"""MkDocs hook, first in the list: every file the build reads is readable, or the build stops naming it.

Pages, notebooks and the catalogue come from contributors. Left to MkDocs and the converters, a page
saved as Latin-1 fails with a traceback that names another page, and an empty or truncated notebook
with a JSON error that names no file. Checked here before anything else reads them.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent


def problem(path: Path) -> str | None:
    """What is wrong with one input file, as a sentence that names it and says what to do; None if fine."""
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    raw = path.read_bytes()
    if not raw.strip():
        return f"{rel}: the file is empty; write its content or delete it"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return (f"{rel}: not valid UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r}); re-save the file as "
                "UTF-8 in your editor")
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except ValueError as e:
            return f"{rel}: not a valid notebook (JSON error: {e}); restore it from git or re-save it from Jupyter"
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            return f"{rel}: not a notebook (no list of cells); restore it from git or re-save it from Jupyter"
    return None


def on_config(config):
    docs = Path(config.docs_dir)
    files = [*docs.rglob("*.md"), *(ROOT / "notebooks").rglob("*.ipynb"), ROOT / "catalogue" / "questions.yml"]
    problems = [p for p in map(problem, sorted(f for f in files if f.is_file())) if p]
    if problems:
        raise PluginError("\n".join(problems))
    return config
