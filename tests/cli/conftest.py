"""doctor's runtime probe (a child process that imports torch and onnxruntime and exports to ONNX:
about 10 s) runs once per suite run, shared by the xdist workers through a file; the doctor
commands tested here render its real result."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json

import pytest


@pytest.fixture(scope="session")
def runtime_probe(tmp_path_factory, request) -> dict:
    from llmprep.doctor import run_runtime_probe

    # Under xdist, the parent of a worker's base temp folder is this run's and every worker's.
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if hasattr(request.config, "workerinput") else base) / "runtime-probe.json"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if shared.exists():
            return json.loads(shared.read_text())
        result = run_runtime_probe()
        shared.write_text(json.dumps(result))
        return result


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
