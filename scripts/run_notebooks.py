"""Execute notebooks from a fresh kernel and stamp them (`make notebooks`), or check them on other seeds
(`make robustness`).

    python scripts/run_notebooks.py                 # every stale notebook under notebooks/
    python scripts/run_notebooks.py --all           # every notebook
    python scripts/run_notebooks.py PATH [PATH...]  # just these
    python scripts/run_notebooks.py --seeds 1 2 3 [PATH...]   # check only: run on these seeds, write nothing

Each notebook runs in its own process and kernel, in a temporary working directory, with the
network blocked (scripts/offline_kernel), one BLAS thread per kernel and `--jobs` notebooks at a
time. A cell that runs past --cell-timeout or a notebook past --hard-timeout fails the run.
A notebook runs on NOTEBOOK_SEED=0 (its outputs are the committed ones) and then on the alternate
seed 1, where only its asserts have to hold. On success the notebook is written back with its
outputs, its figures stored as palette PNGs, and a stamp (see hooks/stamps.py) that records the
seeds its asserts held on.
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
import output_limits  # noqa: E402
import stamps  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
ALTERNATE_SEED = 1    # the second seed every notebook's asserts must hold on
CELL_TIMEOUT = 120    # s; generous: a loaded 2-core machine can be 3x slower than an idle one
HARD_TIMEOUT = 300    # s per notebook, kernel start-up included; the budget itself is 30 s (stamps)


def kernel_env(seed: int = 0, threads: int | None = 1) -> dict:
    """The kernel's environment: the network guard, the seed, and (unless None) the BLAS thread count.
    The notebooks fix their own thread count in their setup cell; the suite runs them with another."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts" / "offline_kernel"),
                                                      env.get("PYTHONPATH")]))
    env.update(NOTEBOOK_SEED=str(seed), PYTHONHASHSEED="0")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.pop(var, None)
        if threads is not None:
            env[var] = str(threads)
    env.pop("MPLBACKEND", None)  # the kernel's inline backend must draw figures into the outputs
    return env


def failure_report(src: Path, nb, seed: int) -> str:
    """The failing cell as Jupyter numbers it, the failing source line and the exception, no kernel noise."""
    import re

    for cell in nb.cells:
        err = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
        if err is None:
            continue
        trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err.get("traceback", [])))
        lines = re.findall(r"^-+> *(\d+) (.*)$", trace, flags=re.M)
        where = f"line {lines[-1][0]}: {lines[-1][1].strip()}" if lines else "(no source line)"
        message = f"{err['ename']}: {err['evalue']}" if err.get("evalue") else err["ename"]
        return (f"{src}: cell [{cell.get('execution_count')}] failed on NOTEBOOK_SEED={seed}\n"
                f"    {where}\n    {message}\n"
                "fix the notebook (or the claim: see CONTRIBUTING.md, 'Claims that survive other seeds') "
                "and run it again")
    return f"{src}: failed on NOTEBOOK_SEED={seed} without an error output"


def execute_in_place(src: Path, dest: Path, cell_timeout: int, seed: int) -> None:
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
        except CellExecutionError:
            sys.exit(failure_report(src, nb, seed))
        runtime = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    shrink_figures(nb)
    too_big = output_limits.problems(nb, str(src))
    if too_big:
        sys.exit("\n".join(too_big))
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if any("image/png" in o.get("data", {}) and not o.get("metadata", {}).get("caption") for o in outputs):
            sys.exit(f"{src}: cell [{cell.execution_count}] draws a figure with no title and no axis labels: give it "
                     "a title (ax.set_title, fig.suptitle) or a caption (fig.set_label): it becomes its alt text")
    nb.metadata[stamps.STAMP_KEY] = {
        "code_sha256": stamps.code_hash(json.loads(nbformat.writes(nb))),
        "runtime_s": round(runtime, 1),
        "torch": torch.__version__.split("+")[0],
        "python": platform.python_version(),
        "cpu": stamps.cpu_signature(),
        "seeds_passed": [seed],
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


def execute(src: Path, dest: Path, cell_timeout: int = CELL_TIMEOUT, hard_timeout: int = HARD_TIMEOUT,
            seed: int = 0, threads: int | None = 1) -> subprocess.CompletedProcess:
    """Execute one notebook in a fresh process (the hard timeout kills it) and write it to `dest`."""
    cmd = [sys.executable, __file__, "--child", str(src), str(dest), str(cell_timeout), str(seed)]
    try:
        res = subprocess.run(cmd, env=kernel_env(seed, threads), capture_output=True, text=True,
                             timeout=hard_timeout)
        report = res.stderr.find(f"{src}: ")   # the child's own report, after the kernel's start-up noise
        res.stderr = res.stderr[report:] if report >= 0 else res.stderr
        return res
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 124, "", f"{src}: killed after the hard timeout of {hard_timeout} s")


def is_stale(path: Path) -> bool:
    try:
        stamps.check_fresh(stamps.load(path), path)
        return False
    except stamps.StaleNotebook:
        return True


def execute_and_stamp(path: Path, cell_timeout: int = CELL_TIMEOUT) -> tuple[bool, str]:
    """Seed 0 writes the outputs and the stamp; the alternate seed must then pass its asserts too.
    A notebook that fails only on the alternate seed keeps its outputs, stamped `seeds_passed: [0]`."""
    res = execute(path, path, cell_timeout)
    if res.returncode != 0:
        return False, res.stderr
    with tempfile.TemporaryDirectory() as tmp:
        alt = execute(path, Path(tmp) / path.name, cell_timeout, seed=ALTERNATE_SEED)
    if alt.returncode != 0:
        return False, alt.stderr
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata[stamps.STAMP_KEY]["seeds_passed"] = [0, ALTERNATE_SEED]
    nbformat.write(nb, path)
    return True, ""


def last_lines(text: str, n: int = 12) -> str:
    return "\n".join("      " + line for line in text.strip().splitlines()[-n:])


def check_seeds(paths: list[Path], seeds: list[int], jobs: int, cell_timeout: int) -> int:
    """Run every notebook on every seed, writing nothing; print a table; 1 if any assert failed."""
    runs = [(p, s) for p in paths for s in seeds]
    print(f"checking {len(paths)} notebook(s) on seeds {' '.join(map(str, seeds))}, {jobs} at a time")

    def run(item):
        path, seed = item
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            res = execute(path, Path(tmp) / path.name, cell_timeout, seed=seed)
            return path, seed, res, time.perf_counter() - start

    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(run, runs))
    width = max(len(str(p.relative_to(ROOT))) for p in paths)
    print(f"\n{'notebook':<{width}}  " + "  ".join(f"seed {s:<3}" for s in seeds))
    for path in paths:
        cells = [f"{'ok' if r.returncode == 0 else 'FAIL':<4} {t:3.0f}s" for p, _, r, t in results if p == path]
        print(f"{str(path.relative_to(ROOT)):<{width}}  " + "  ".join(cells))
    failures = [r for _, _, r, _ in results if r.returncode != 0]
    for r in failures:
        print(f"\n{last_lines(r.stderr)}")
    print(f"\n{len(runs) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true", help="execute every notebook, stale or not")
    ap.add_argument("--seeds", nargs="+", type=int, help="check only: run on these NOTEBOOK_SEEDs, write nothing")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        execute_in_place(Path(a.child[0]), Path(a.child[1]), int(a.child[2]), int(a.child[3]))
        return 0
    paths = [p.resolve() for p in a.paths] or sorted(NOTEBOOKS.glob("*/*.ipynb"))
    if a.seeds:
        return check_seeds(paths, a.seeds, a.jobs, a.cell_timeout)
    todo = [p for p in paths if a.all or a.paths or is_stale(p)]
    if not todo:
        print("every notebook is fresh; nothing to execute")
        return 0
    print(f"executing {len(todo)} notebook(s) on NOTEBOOK_SEED=0 and {ALTERNATE_SEED}, {a.jobs} at a time")

    def run(p: Path):
        ok, err = execute_and_stamp(p, a.cell_timeout)
        stamp = stamps.read_stamp(stamps.load(p)) if ok else None
        print(f"  {'ok  ' if ok else 'FAIL'} {p}" + (f"  {stamp['runtime_s']:.1f} s" if ok else ""), flush=True)
        if not ok:
            print(last_lines(err, 25))
        return ok

    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(run, todo))
    failed = results.count(False)
    print(f"{len(todo) - failed} executed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
