"""Shared fixtures: every test gets its own LLMPREP_HOME, and CLI tests run through CliRunner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from llmprep.cli import cli


@pytest.fixture(autouse=True)
def llmprep_home(tmp_path, monkeypatch):
    """An empty data directory for each test; no test touches the user's real one."""
    home = tmp_path / "llmprep-home"
    monkeypatch.setenv("LLMPREP_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def run_cli():
    """Invoke `llmprep ARGS...` in-process; returns click's Result (stdout and stderr apart)."""

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def pytest_configure(config):
    """Under pytest-xdist every core already runs a test process: one torch thread each avoids
    oversubscribing the machine (small ops on a contended thread pool run many times slower)."""
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
