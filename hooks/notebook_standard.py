"""The notebook standard, in one place: the setup cell every notebook starts with, the MIME type of a
tied number, the metadata a committed notebook keeps, and the structural checks the tests and the
content lint apply to every notebook.

The setup cell is what makes a notebook reproduce the page's numbers outside the project's runner
(one thread, every seed derived from NOTEBOOK_SEED, deterministic algorithms) and what lets the page
tie its numbers to the notebook (`record`). It is plain Python: a reader's Jupyter or Colab kernel
runs it with no project module installed. `make new` writes it; the tests require it verbatim.
"""
from __future__ import annotations

import re

from stamps import STAMP_KEY

RECORD_MIME = "application/vnd.cnn-iq.record+json"
SEED_VARIABLE = "NOTEBOOK_SEED"

SETUP_CELL = '''\
# Setup: everything this notebook's numbers depend on, fixed here so that any kernel prints the page's numbers.
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import display

NOTEBOOK_SEED = int(os.environ.get("NOTEBOOK_SEED", "0"))  # every seed in this notebook derives from it
random.seed(NOTEBOOK_SEED)
np.random.seed(NOTEBOOK_SEED)
torch.manual_seed(NOTEBOOK_SEED)
rng = np.random.default_rng(NOTEBOOK_SEED)
torch.set_num_threads(1)  # one thread: the same float summation order, so the same numbers, on any CPU
torch.use_deterministic_algorithms(True, warn_only=True)
device = "cuda" if torch.cuda.is_available() else "cpu"
plt.rcParams.update({"figure.figsize": (6, 3), "figure.dpi": 80, "figure.facecolor": "white",
                     "savefig.facecolor": "white", "font.size": 9})


def record(name, value):
    """Tie a number on the page to this cell: the page writes {{ name }} and the build reads it here."""
    value = value.item() if hasattr(value, "item") else value
    display({"application/vnd.cnn-iq.record+json": {"name": name, "value": value}, "text/plain": ""}, raw=True)
    return value
'''

# The kernel every notebook names: Colab, JupyterLab and the runner (nbclient) all pick it by name.
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# The metadata a committed notebook keeps: what the kernel and `make notebooks` write. Anything else is
# left behind by an editor (JupyterLab's scrolled/collapsed flags, jupytext's pairing, widget state).
NOTEBOOK_METADATA = {"kernelspec", "language_info", STAMP_KEY}
CELL_METADATA = {"code": {"execution"}, "markdown": set()}   # nbclient's cell timings, nothing else

# A literal seed outside the setup cell would make the alternate-seed run test nothing.
LITERAL_SEED = re.compile(r"(manual_seed|default_rng|np\.random\.seed|random\.seed|RandomState)\(\s*\d"
                          r"|\b(random_state|seed)\s*=\s*\d")


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def structure_problems(nb: dict, question_text: str) -> list[str]:
    """What a notebook's shape breaks of the standard, each a sentence that says what to do."""
    problems = []
    cells = nb.get("cells") or []
    if not cells or cells[0]["cell_type"] != "markdown" or not source(cells[0]).startswith(f"# {question_text}\n"):
        problems.append(f"the first cell must be Markdown starting with '# {question_text}' and a line on "
                        "what the notebook shows")
    code = code_cells(nb)
    if not code or not source(code[0]).startswith(SETUP_CELL):
        problems.append("the first code cell must start with the standard setup cell verbatim "
                        "(hooks/notebook_standard.py SETUP_CELL; `make new` writes it)")
    for n, cell in enumerate(code[1:], start=2):
        m = LITERAL_SEED.search(source(cell))
        if m:
            problems.append(f"code cell {n} seeds with a literal ({m.group(0)!r}); derive every seed from "
                            f"{SEED_VARIABLE} (for example `{SEED_VARIABLE} + 1`) so other seeds can be tested")
    if not cells or cells[-1]["cell_type"] != "markdown" or not re.match(r"#+ Try next", source(cells[-1])):
        problems.append("the last cell must be Markdown '## Try next' with 2-3 changes the reader can make")
    return problems


def authoring_problems(nb: dict) -> list[str]:
    """What an editor left in a notebook that the standard does not keep: stray metadata, a missing
    kernelspec, cells run out of order. Each says what to do; `make notebooks` (tidy) fixes the first two."""
    problems = []
    stray = sorted(set(nb.get("metadata", {})) - NOTEBOOK_METADATA)
    if stray:
        problems.append(f"stray notebook metadata {stray}: `make notebooks` removes it (keep only "
                        f"{sorted(NOTEBOOK_METADATA)})")
    if (nb.get("metadata", {}).get("kernelspec") or {}).get("name") != KERNELSPEC["name"]:
        problems.append(f"no kernelspec naming the '{KERNELSPEC['name']}' kernel: `make notebooks` sets it")
    for n, cell in enumerate(nb.get("cells") or [], start=1):
        stray = sorted(set(cell.get("metadata", {})) - CELL_METADATA.get(cell["cell_type"], set()))
        if stray:
            problems.append(f"cell {n} ({cell['cell_type']}) has stray metadata {stray}: `make notebooks` removes it")
    counts = [c.get("execution_count") for c in code_cells(nb)]
    if any(counts) and counts != list(range(1, len(counts) + 1)):
        problems.append(f"code cells ran out of order (execution counts {counts}): run the notebook top to "
                        "bottom with `make notebooks`")
    return problems


def tidy(nb: dict) -> bool:
    """Drop the metadata an editor leaves behind and name the standard kernel; True if anything changed.
    Code and outputs are untouched, so a fresh stamp stays fresh."""
    before = repr(nb)
    metadata = nb.setdefault("metadata", {})
    for key in set(metadata) - NOTEBOOK_METADATA:
        del metadata[key]
    metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.get("cells") or []:
        keep = CELL_METADATA.get(cell["cell_type"], set())
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in keep}
    return repr(nb) != before
