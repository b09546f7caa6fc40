"""Execute notebooks from a fresh kernel and stamp them (`make notebooks`).

    python scripts/run_notebooks.py                 # every stale notebook under notebooks/
    python scripts/run_notebooks.py --all           # every notebook
    python scripts/run_notebooks.py PATH [PATH...]  # just these

Each notebook runs in its own process and kernel, in a temporary working directory, with the
network blocked (scripts/offline_kernel), one BLAS thread per kernel and `--jobs` notebooks at a
time. A cell that runs past --cell-timeout or a notebook past --hard-timeout fails the run.
On success the notebook is written back with its outputs, its figures stored as palette PNGs, and
a stamp (see hooks/stamps.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import stamps  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 120    # s; generous: a loaded 2-core machine can be 3x slower than an idle one
HARD_TIMEOUT = 300    # s per notebook, kernel start-up included; the budget itself is 30 s (stamps)


def kernel_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts" / "offline_kernel"),
                                                      env.get("PYTHONPATH")]))
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)  # the kernel's inline backend must draw figures into the outputs
    return env


def execute_in_place(src: Path, dest: Path, cell_timeout: int) -> None:
    """Child-process body: execute `src` with nbclient and write it, stamped, to `dest`."""
    import nbformat
    import torch  # noqa: F401  (only for its version in the stamp)
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(src, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        try:
            NotebookClient(nb, timeout=cell_timeout, kernel_name="python3",
                           resources={"metadata": {"path": work}}).execute()
        except CellTimeoutError:
            sys.exit(f"{src}: a cell ran longer than the {cell_timeout} s cell timeout; make it faster")
        except CellExecutionError as e:
            cell = next(i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error"
                                                               for o in c.get("outputs", [])))
            sys.exit(f"{src}: cell {cell} raised {e.ename}: {e.evalue}; fix the notebook and run it again")
        runtime = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    shrink_figures(nb)
    nb.metadata[stamps.STAMP_KEY] = {
        "code_sha256": stamps.code_hash(json.loads(nbformat.writes(nb))),
        "runtime_s": round(runtime, 1),
        "torch": torch.__version__.split("+")[0],
        "python": platform.python_version(),
    }
    nbformat.write(nb, dest)


def shrink_figures(nb) -> None:
    """Store each PNG figure with a 256-colour palette when that is smaller (typically 40-60% smaller).
    Plots are a few flat colours, so the palette is visually lossless; it keeps pages light."""
    import base64
    import io

    from PIL import Image

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" not in data:
                continue
            raw = base64.b64decode(data["image/png"])
            image = Image.open(io.BytesIO(raw)).convert("RGB")
            buf = io.BytesIO()
            image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buf, "PNG", optimize=True)
            if buf.tell() < len(raw):
                data["image/png"] = base64.b64encode(buf.getvalue()).decode()


def execute(src: Path, dest: Path, cell_timeout: int = CELL_TIMEOUT,
            hard_timeout: int = HARD_TIMEOUT) -> subprocess.CompletedProcess:
    """Execute one notebook in a fresh process (the hard timeout kills it) and write it to `dest`."""
    cmd = [sys.executable, __file__, "--child", str(src), str(dest), str(cell_timeout)]
    try:
        return subprocess.run(cmd, env=kernel_env(), capture_output=True, text=True, timeout=hard_timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 124, "", f"{src}: killed after the hard timeout of {hard_timeout} s")


def is_stale(path: Path) -> bool:
    try:
        stamps.check_fresh(stamps.load(path), path)
        return False
    except stamps.StaleNotebook:
        return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true", help="execute every notebook, stale or not")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        execute_in_place(Path(a.child[0]), Path(a.child[1]), int(a.child[2]))
        return 0
    paths = a.paths or sorted(NOTEBOOKS.glob("*/*.ipynb"))
    todo = [p for p in paths if a.all or a.paths or is_stale(p)]
    if not todo:
        print("every notebook is fresh; nothing to execute")
        return 0
    print(f"executing {len(todo)} notebook(s), {a.jobs} at a time")

    def run(p: Path):
        res = execute(p, p, a.cell_timeout)
        ok = res.returncode == 0
        stamp = stamps.read_stamp(stamps.load(p)) if ok else None
        print(f"  {'ok  ' if ok else 'FAIL'} {p}" + (f"  {stamp['runtime_s']:.1f} s" if ok else ""), flush=True)
        if not ok:
            print("\n".join("      " + line for line in res.stderr.strip().splitlines()[-25:]))
        return ok

    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(run, todo))
    failed = results.count(False)
    print(f"{len(todo) - failed} executed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
