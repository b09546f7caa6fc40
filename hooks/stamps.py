"""The execution stamp a notebook carries in its metadata, and the check that it is still fresh.

`make notebooks` writes the stamp after executing a notebook; the build and the tests read it.
A stamp is fresh when its hash equals the hash of the notebook's current code cells together with
requirements-notebooks.txt: editing code or bumping a pinned library makes the notebook stale.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements-notebooks.txt"
STAMP_KEY = "cnn_iq_stamp"


class StaleNotebook(Exception):
    """A notebook whose outputs do not come from its current code."""


def code_hash(nb: dict, requirements: Path = REQUIREMENTS) -> str:
    """sha256 over the code cells' sources and the notebooks' requirements file."""
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in nb["cells"] if c["cell_type"] == "code"]
    h = hashlib.sha256(json.dumps(sources).encode())
    h.update(requirements.read_bytes())
    return h.hexdigest()


def cpu_signature() -> str:
    """The instruction sets the numerical libraries dispatch to on this machine. Float results (and so the
    text a notebook prints) are reproducible bit for bit only between machines with the same signature:
    torch and NumPy pick differently blocked, differently rounded kernels for AVX2 and AVX-512."""
    import platform

    import numpy._core._multiarray_umath as numpy_simd
    import torch

    dispatched = [f for f in numpy_simd.__cpu_dispatch__ if numpy_simd.__cpu_features__.get(f)]
    return f"{platform.machine()} torch:{torch.backends.cpu.get_cpu_capability()} numpy:{','.join(dispatched)}"


def read_stamp(nb: dict) -> dict | None:
    return nb.get("metadata", {}).get(STAMP_KEY)


def check_fresh(nb: dict, path: Path, requirements: Path = REQUIREMENTS) -> dict:
    """Return the notebook's stamp, or raise StaleNotebook naming the file and the fix."""
    stamp = read_stamp(nb)
    fix = f"run `make notebooks` (or `.venv/bin/python scripts/run_notebooks.py {path}`)"
    if stamp is None:
        raise StaleNotebook(f"{path}: notebook was never executed by `make notebooks` (no stamp); {fix}")
    if stamp.get("code_sha256") != code_hash(nb, requirements):
        raise StaleNotebook(f"{path}: notebook is stale: its code or requirements-notebooks.txt changed "
                            f"since it was executed; {fix}")
    unrun = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and c.get("execution_count") is None]
    errors = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
              and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    if unrun or errors:
        raise StaleNotebook(f"{path}: cells {unrun or errors} are {'unexecuted' if unrun else 'errors'}; {fix}")
    return stamp


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
