"""ruff over the build code, the scripts, the tests and the notebooks."""
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                          "hooks", "scripts", "tests", "notebooks"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
