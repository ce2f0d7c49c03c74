"""Shared fixtures: every test gets its own LLMPREP_HOME, CLI tests run through CliRunner, and every
randomized test runs from fixed seeds that a failure prints.

Seeds: `test_seed` is the test's own seed (fixed: derived from its node id, so tests differ from each
other but every run of one test is the same); `seed_note(...)` records seeds a test chose itself.
`run_cli("check", ...)` without `--seed` gets `--seed <test_seed>`, so no check in the suite draws
a secret seed. The global generators (random, numpy, torch, when imported) start every test from
the test's seed, so a test that draws from them unseeded is reproducible too. A failing test's report
shows every seed it used. `LLMPREP_TEST_SEED=N` runs the
suite with seed N everywhere (`random`: fresh seeds, still printed) to hunt for seed-dependent bugs.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import zlib

import pytest
from click.testing import CliRunner

from llmprep.cli import cli
from llmprep.execution.calling import seed_torch

# The suite imports llmprep, the exercises and the test modules in many processes (each xdist
# worker, every llmprep it starts); where PYTHONDONTWRITEBYTECODE is set, every one of them would
# compile (and pytest rewrite) the same sources again. The caches go to __pycache__, ignored by git.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

pytest_plugins = ["pytester"]  # tests/test_seeds.py runs small test files through this conftest
_SEEDS = pytest.StashKey[list]()
# The commands whose random cases `--seed` fixes.
_SEEDED_COMMANDS = ("check",)

try:  # hypothesis tests: a fixed seed per test (derandomize), the reproduction printed on failure
    from hypothesis import settings

    settings.register_profile("llmprep", derandomize=True, print_blob=True, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "llmprep"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def _seed_for(nodeid: str) -> int:
    chosen = os.environ.get("LLMPREP_TEST_SEED")
    if chosen == "random":
        return secrets.randbelow(2**31)
    if chosen:
        return int(chosen)
    return zlib.crc32(nodeid.encode()) % 100_000


def _note(item: pytest.Item, *seeds: int) -> None:
    noted = item.stash.setdefault(_SEEDS, [])
    noted.extend(seed for seed in seeds if seed not in noted)


@pytest.fixture
def test_seed(request) -> int:
    """This test's fixed seed (printed when the test fails)."""
    seed = _seed_for(request.node.nodeid)
    _note(request.node, seed)
    return seed


@pytest.fixture
def seed_note(request):
    """seed_note(seed, ...): record the seeds a test draws from, so that a failure prints them."""
    return lambda *seeds: _note(request.node, *seeds)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    seeds = item.stash.get(_SEEDS, [])
    if report.failed and seeds:
        listed = ", ".join(str(s) for s in seeds)
        report.sections.append(("seeds", f"this test ran from seed(s) {listed}; a check reproduces with "
                                          f"--seed, the whole test with LLMPREP_TEST_SEED={seeds[0]}"))


@pytest.fixture(autouse=True)
def seeded_global_generators(request):
    """Seed Python's, numpy's and torch's global generators from the test's seed (torch and numpy
    only when something already imported them: importing torch costs seconds)."""
    seed = _seed_for(request.node.nodeid)
    _note(request.node, seed)
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "torch" in sys.modules:
        seed_torch(seed)  # torch.manual_seed costs a millisecond a call: see seed_torch


@pytest.fixture(autouse=True)
def llmprep_home(tmp_path, monkeypatch):
    """An empty data directory for each test; no test touches the user's real one."""
    home = tmp_path / "llmprep-home"
    monkeypatch.setenv("LLMPREP_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # pytest-xdist workers set COLUMNS=80 and a plain run leaves it unset (the console then uses 100):
    # pin it, so what a test sees does not depend on how the suite was started.
    monkeypatch.setenv("COLUMNS", "100")
    return home


@pytest.fixture
def run_cli(request):
    """Invoke `llmprep ARGS...` in-process; returns click's Result (stdout and stderr apart).
    A `check` without `--seed` runs with the test's fixed seed; every seed used is noted."""

    def invoke(*args: str, input: str | None = None):
        args = list(args)
        if args and args[0] in _SEEDED_COMMANDS and "--help" not in args:
            if "--seed" not in args:
                args += ["--seed", str(_seed_for(request.node.nodeid))]
            _note(request.node, int(args[args.index("--seed") + 1]))
        return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)

    return invoke


def pytest_configure(config):
    """Under pytest-xdist every core already runs a test process: one torch thread each avoids
    oversubscribing the machine (small ops on a contended thread pool run many times slower)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
