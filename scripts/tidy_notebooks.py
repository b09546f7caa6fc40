"""Remove what an editor leaves in notebooks and name the standard kernel (run by `make notebooks`).

    python scripts/tidy_notebooks.py [PATH...]    # default: every notebook under notebooks/

JupyterLab saves per-cell view state (scrolled, collapsed, jupyter.outputs_hidden), jupytext its pairing,
widgets their state; none of it belongs in a committed notebook (hooks/notebook_standard.py
NOTEBOOK_METADATA, CELL_METADATA). Code and outputs are untouched, so a fresh stamp stays fresh. Only
notebooks that change are written.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import nbformat  # noqa: E402
import notebook_standard  # noqa: E402


def tidy_file(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    if not notebook_standard.tidy(nb):
        return False
    nbformat.write(nb, path)
    return True


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)] or sorted(ROOT.glob("notebooks/*/*.ipynb"))
    for path in paths:
        if tidy_file(path):
            print(f"tidied {path}: removed editor metadata, kernelspec {notebook_standard.KERNELSPEC['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
