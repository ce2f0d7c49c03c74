"""doctor's runtime probe (a child process that imports torch and onnxruntime and exports to ONNX:
about 10 s) runs once per test process; the doctor commands tested here render its real result."""

from __future__ import annotations

import contextlib
import copy

import pytest


@pytest.fixture(scope="session")
def runtime_probe() -> dict:
    from llmprep.doctor import run_runtime_probe

    return run_runtime_probe()


@pytest.fixture(scope="session")
def probed_once(runtime_probe):
    """A context manager: inside it, doctor uses the session's probe result instead of probing again."""
    import llmprep.doctor

    @contextlib.contextmanager
    def context():
        patch = pytest.MonkeyPatch()
        patch.setattr(llmprep.doctor, "run_runtime_probe", lambda: copy.deepcopy(runtime_probe))
        try:
            yield
        finally:
            patch.undo()

    return context
