"""Notebooks are committed executed, stamped from their current code, and re-execute cleanly.

The stamp (hooks/stamps.py) ties a notebook's outputs to its code and to requirements-notebooks.txt;
the re-execution runs every notebook from a fresh kernel with the network blocked, under a hard
per-notebook timeout, and requires the same text outputs as the committed ones.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
import run_notebooks
import stamps
from conftest import ROOT

import catalogue

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
QUESTIONS = {q.notebook: q for q in catalogue.load()}


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def text_outputs(nb) -> list[str]:
    """What a reader reads in each code cell's output: streams and plain-text results, joined per cell
    (the kernel may split one print's stream differently from run to run)."""
    out = []
    for c in code_cells(nb):
        text = ""
        for o in c.get("outputs", []):
            if o["output_type"] == "stream":
                text += "".join(o["text"])
            elif "data" in o and "text/plain" in o["data"] and not any(k.startswith("image/") for k in o["data"]):
                text += "".join(o["data"]["text/plain"])
        out.append(text)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stamp_matches_the_current_code(path):
    stamps.check_fresh(stamps.load(path), path.relative_to(ROOT))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_ran_in_order_without_error(path):
    cells = code_cells(stamps.load(path))
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    assert not [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_follows_the_notebook_standard(path):
    nb = stamps.load(path)
    q = QUESTIONS[path.relative_to(ROOT).as_posix()]
    first, last = ("".join(nb["cells"][i]["source"]) for i in (0, -1))
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith(f"# {q.text}\n")
    assert nb["cells"][-1]["cell_type"] == "markdown" and re.match(r"#+ Try next", last)
    sources = "\n".join("".join(c["source"]) for c in code_cells(nb))
    assert len(re.findall(r"^\s*assert\b", sources, flags=re.M)) >= 3
    assert "torch.manual_seed(" in sources
    assert 'device = "cuda" if torch.cuda.is_available() else "cpu"' in sources
    assert "torchvision" not in sources
    outputs = [o for c in code_cells(nb) for o in c["outputs"]]
    assert any("image/png" in o.get("data", {}) for o in outputs), "at least one figure"
    assert "widgets" not in nb["metadata"]
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


@pytest.fixture(scope="module")
def reexecuted(tmp_path_factory):
    """Every notebook executed again from a fresh kernel, two at a time, into a scratch folder."""
    out = tmp_path_factory.mktemp("reexecuted")

    def run(path):
        dest = out / f"{path.parent.name}-{path.name}"
        return path, run_notebooks.execute(path, dest), dest

    with ThreadPoolExecutor(2) as pool:
        return {path: (res, dest) for path, res, dest in pool.map(run, NOTEBOOKS)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_reexecutes_cleanly_from_a_fresh_kernel_offline(path, reexecuted):
    res, _ = reexecuted[path]
    assert res.returncode == 0, res.stderr[-3000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_reexecution_reproduces_the_committed_text_outputs(path, reexecuted):
    res, dest = reexecuted[path]
    if res.returncode != 0:
        pytest.fail(f"{path} did not re-execute (see the test above)")
    assert text_outputs(stamps.load(dest)) == text_outputs(stamps.load(path)), \
        f"{path}: outputs differ run to run; seed every source of randomness"


# ---- broken fixtures: each check fires, and says which file and what to do ----------------------

def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Fixture")]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_notebook_that_raises_fails_the_run_naming_file_and_cell(tmp_path):
    nb = write_notebook(tmp_path / "raises.ipynb", "x = 1", "1 / 0")
    res = run_notebooks.execute(nb, tmp_path / "out.ipynb")
    assert res.returncode != 0
    assert f"{nb}: cell 2 raised ZeroDivisionError" in res.stderr


def test_a_notebook_cannot_reach_the_network(tmp_path):
    nb = write_notebook(tmp_path / "net.ipynb", "import urllib.request\n"
                        "urllib.request.urlopen('http://example.com', timeout=5)")
    res = run_notebooks.execute(nb, tmp_path / "out.ipynb")
    assert res.returncode != 0
    assert "network access is not allowed in a notebook" in res.stderr


def test_a_slow_cell_hits_the_cell_timeout(tmp_path):
    nb = write_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    res = run_notebooks.execute(nb, tmp_path / "out.ipynb", cell_timeout=2)
    assert res.returncode != 0
    assert f"{nb}: a cell ran longer than the 2 s cell timeout" in res.stderr


def test_a_hung_notebook_is_killed_at_the_hard_timeout(tmp_path):
    nb = write_notebook(tmp_path / "hung.ipynb", "import time\ntime.sleep(60)")
    res = run_notebooks.execute(nb, tmp_path / "out.ipynb", hard_timeout=8)
    assert res.returncode == 124
    assert f"{nb}: killed after the hard timeout of 8 s" in res.stderr


def test_a_stamped_notebook_goes_stale_when_its_code_changes(tmp_path):
    nb_path = write_notebook(tmp_path / "ok.ipynb", "print(6 * 7)")
    assert run_notebooks.execute(nb_path, nb_path).returncode == 0
    nb = stamps.load(nb_path)
    assert stamps.check_fresh(nb, nb_path)["runtime_s"] >= 0
    nb["cells"][1]["source"] = "print(6 * 9)"
    with pytest.raises(stamps.StaleNotebook, match=re.escape(f"{nb_path}: notebook is stale")):
        stamps.check_fresh(nb, nb_path)
    fresh = json.loads(nb_path.read_text())
    with pytest.raises(stamps.StaleNotebook, match="requirements-notebooks.txt changed"):
        other = tmp_path / "requirements.txt"
        other.write_text("torch==0.0.0\n")
        stamps.check_fresh(fresh, nb_path, requirements=other)
    del fresh["metadata"][stamps.STAMP_KEY]
    with pytest.raises(stamps.StaleNotebook, match="never executed"):
        stamps.check_fresh(fresh, nb_path)


def test_make_notebooks_executes_only_the_stale_ones(tmp_path, monkeypatch, capsys):
    (tmp_path / "easy").mkdir()
    fresh = write_notebook(tmp_path / "easy" / "fresh.ipynb", "print(1)")
    stale = write_notebook(tmp_path / "easy" / "stale.ipynb", "print(2)")
    assert run_notebooks.execute(fresh, fresh).returncode == 0
    monkeypatch.setattr(run_notebooks, "NOTEBOOKS", tmp_path)
    assert run_notebooks.main([]) == 0
    out = capsys.readouterr().out
    assert "executing 1 notebook(s)" in out and f"ok   {stale}" in out and str(fresh) not in out
    assert not run_notebooks.is_stale(stale)
