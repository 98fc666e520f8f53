"""Shared fixtures: run the ``rmc`` command line in-process or as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture
def rmc(capsys):
    """Run ``rmc ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from rmc_symbolic.cli import main

    def run(*args: str):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # argparse errors
            code = e.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def rmc_json(rmc):
    """Run ``rmc ARGS --json`` in-process and parse the JSON object."""

    def run(*args: str):
        code, out, err = rmc(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    return run


def run_subprocess(*args: str, timeout: float = 120):
    """Run ``python -m rmc_symbolic ARGS`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "rmc_symbolic", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
