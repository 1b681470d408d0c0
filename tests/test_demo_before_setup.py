"""`python demo.py` run by a Python without the dependencies (before the README's setup command) says which
package is missing and the command that installs it, instead of a ModuleNotFoundError traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_without_its_packages_names_the_missing_one_and_the_setup_command() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # -S: no site-packages, so graphviz (a core dependency) is missing as on a machine never set up
    done = subprocess.run([sys.executable, "-S", "demo.py", "--help"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "demo.py: the package 'graphviz' is not installed in this Python" in done.stderr
    assert 'pip install -e ".[demo]" && python demo.py' in done.stderr
    assert done.stdout == ""
