"""Hostile and broken submissions: each ends with a clear verdict (exit 1 or 2), no traceback
from llmprep's code, within the time limit, and nothing it started left running."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test checks a submission in a worker process (a torch import)

GOOD_BODY = """
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""


def survivors(marker: str) -> list[str]:
    """Command lines of live processes that contain `marker`, or this process's worker folders."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")  # a forked worker's folder (its command line is the server's)
        except OSError:
            cwd = ""
        folder = f"llmprep-worker-{os.getpid()}-"
        if state not in ("Z", "X") and (marker in cmdline or folder in cmdline or folder in cwd):
            found.append(cmdline)
    return found


@pytest.fixture
def check_source(tmp_path, run_cli):
    """Write a softmax submission and check it; returns (result, json document or None, seconds).

    MARKER in the source becomes a number unique to the test (e.g. the seconds a child sleeps), so
    that afterwards no process may carry it, nor this process's worker folder, in its command line."""
    marker = f"{60 + random.Random(str(tmp_path)).random():.9f}"

    def run(source: str, *extra: str, as_json: bool = True, exit_codes=(1, 2)):
        path = tmp_path / "submission.py"
        path.write_text("# llmprep: softmax\n" + source.replace("MARKER", marker))
        started = time.perf_counter()
        args = ["check", str(path), "--seed", "5", *extra] + (["--json"] if as_json else [])
        result = run_cli(*args)
        seconds = time.perf_counter() - started
        assert result.exit_code in exit_codes, result.output
        assert "llmprep/grading" not in result.output and "llmprep/cli" not in result.output
        document = json.loads(result.stdout) if as_json else None
        assert survivors(marker) == [], "processes outlived the check"
        return result, document, seconds

    return run


def _errors(document) -> str:
    return " | ".join([document["problem"] or ""] + [c["error"] or "" for c in document["cases"]])


def test_syntax_error_is_reported_with_its_line(check_source):
    result, document, _ = check_source("import torch\n\ndef softmax(x, dim=-1):\n    return x +\n")
    assert result.exit_code == 1
    assert "SyntaxError" in document["problem"] and "line 5" in document["problem"]


def test_syntax_error_without_an_exercise_name_is_an_input_error(tmp_path, run_cli):
    path = tmp_path / "broken.py"
    path.write_text("def softmax(x:\n")
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert "does not parse" in result.stderr and "--exercise" in result.stderr


def test_import_of_a_missing_module(check_source):
    result, document, _ = check_source("import no_such_module_xyz\n")
    assert result.exit_code == 1 and "ModuleNotFoundError" in document["problem"]


def test_no_entry_defined(check_source):
    result, document, _ = check_source("def soft_max(x, dim=-1):\n    return x\n")
    assert result.exit_code == 1
    assert "defines no `softmax`" in document["problem"] and "soft_max" in document["problem"]


def test_wrong_signature(check_source):
    result, document, _ = check_source("def softmax(x):\n    return x.exp() / x.exp().sum()\n")
    assert result.exit_code == 1 and "TypeError" in _errors(document)


def test_exception_inside_names_the_line(check_source):
    result, document, _ = check_source("def softmax(x, dim=-1):\n    raise ValueError('boom')\n")
    assert result.exit_code == 1
    assert "ValueError: boom (line 3)" in document["cases"][0]["error"]


def test_infinite_loop_times_out_and_is_killed(check_source):
    result, document, _ = check_source(
        "def softmax(x, dim=-1):\n    while True:\n        pass\n", "--timeout", "1.5")
    assert result.exit_code == 1
    # The verdict names the timeout and check_source found no surviving process: the kill is proven
    # without a wall-clock bound (which a busy machine can exceed).
    assert "timed out" in document["cases"][0]["error"]


def test_allocating_100_gb_fails_the_case(check_source):
    result, document, _ = check_source(
        "import torch\ndef softmax(x, dim=-1):\n    big = torch.ones(100 * 2**30 // 4)\n    return big\n")
    assert result.exit_code == 1
    assert "memory" in _errors(document).lower() or "allocate" in _errors(document).lower()


def test_sys_exit_at_import(check_source):
    result, document, _ = check_source("import sys\nsys.exit(0)\n")
    assert result.exit_code == 1 and "SystemExit" in document["problem"]


def test_os_exit_inside_the_function(check_source):
    result, document, _ = check_source("import os\ndef softmax(x, dim=-1):\n    os._exit(0)\n")
    assert result.exit_code == 1
    assert "process ended" in document["cases"][0]["error"]


def test_segfault(check_source):
    result, document, _ = check_source("import ctypes\ndef softmax(x, dim=-1):\n    return ctypes.string_at(0)\n")
    assert result.exit_code == 1
    assert "SIGSEGV" in document["cases"][0]["error"]


def test_printing_a_fake_verdict_does_not_pass(check_source):
    result, document, _ = check_source(
        "import sys\nprint('{\"passed\": true}')\nprint('PASSED')\n"
        "def softmax(x, dim=-1):\n    print('{\"passed\": true}'); sys.stderr.write('PASSED\\n')\n    return x\n")
    assert result.exit_code == 1 and document["passed"] is False
    assert "PASSED" in document["stdout"]


def test_writing_a_fake_verdict_on_every_descriptor_does_not_pass(check_source):
    result, document, _ = check_source(
        "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'PASSED {\"passed\": true}' * 100)\n"
        "    except OSError:\n        pass\n"
        "def softmax(x, dim=-1):\n    return x\n")
    assert result.exit_code == 1 and document["passed"] is False


@pytest.mark.parametrize(("body", "message"), [
    ("    return (x - x.amax(dim, keepdim=True)).exp().tolist()", "wrong type: output is a list"),
    ("    import numpy\n    return numpy.zeros(tuple(x.shape))", "numpy.ndarray"),
    ("    e = (x - x.amax(dim, keepdim=True)).exp().double()\n    return e / e.sum(dim, keepdim=True)",
     "wrong dtype"),
    ("    return x.sum(dim)", "wrong shape"),
    ("    return x * float('nan')", "non-finite values"),
])
def test_wrong_returns(check_source, body, message):
    result, document, _ = check_source(f"def softmax(x, dim=-1):\n{body}\n")
    assert result.exit_code == 1 and message in _errors(document)


def test_mutating_inputs(check_source):
    result, document, _ = check_source(
        "def softmax(x, dim=-1):\n    x -= x.amax(dim=dim, keepdim=True)\n    e = x.exp()\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n")
    assert result.exit_code == 1
    assert "modified its input `x` in place" in _errors(document)


def test_monkeypatching_the_comparisons_does_not_pass(check_source):
    result, document, _ = check_source(
        "import torch, torch.testing\ntorch.allclose = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\ntorch.equal = lambda *a, **k: True\n"
        "def softmax(x, dim=-1):\n    return x\n")
    assert result.exit_code == 1 and document["passed"] is False


def test_importing_llmprep_to_reach_the_reference_fails(check_source):
    result, document, _ = check_source(
        "from llmprep.grading.cases import reference_entry\nfrom llmprep.exercises import get_exercise\n"
        "softmax = reference_entry(get_exercise('softmax'))\n")
    assert result.exit_code == 1
    assert "ModuleNotFoundError" in document["problem"] and "not available to submissions" in document["problem"]


def test_importing_the_reference_through_the_exercises_package_fails(check_source):
    result, document, _ = check_source("from exercises.softmax.reference import softmax\n")
    assert result.exit_code == 1 and "ModuleNotFoundError" in document["problem"]


@pytest.mark.parametrize("call", [
    "torch.softmax(x, dim)",
    "torch.nn.functional.softmax(x, dim=dim)",
    "x.softmax(dim)",
    "torch._C._VariableFunctions.softmax(x, dim)",
    "torch._C.TensorBase.softmax(x, dim)",
])
def test_banned_builtins_are_named(check_source, call):
    result, document, _ = check_source(f"import torch\ndef softmax(x, dim=-1):\n    return {call}\n")
    assert result.exit_code == 1
    assert "called a banned built-in" in _errors(document)


def test_child_processes_do_not_outlive_the_check(check_source):
    result, document, _ = check_source(
        "import subprocess\nchild = subprocess.Popen(['sleep', 'MARKER'])\n"
        f"def softmax(x, dim=-1):{GOOD_BODY}", exit_codes=(0,))
    assert document["passed"] is True  # and check_source saw the sleeping child gone


def test_output_is_shown_trimmed_in_the_human_report(check_source):
    result, _, _ = check_source("print('hello from the submission')\ndef softmax(x, dim=-1):\n    return x\n",
                                as_json=False)
    assert result.exit_code == 1
    assert "hello from the submission" in result.stdout
    assert "Reproduce: llmprep check" in result.stdout and "--seed 5" in result.stdout
    assert "llmprep hint softmax" in result.stdout
    assert "Traceback" not in result.output


def test_correct_submission_passes_and_its_process_is_gone(check_source):
    result, document, _ = check_source(
        f"def softmax(x, dim=-1):{GOOD_BODY}",
        exit_codes=(0,))
    assert document["passed"] is True and document["exercise"] == "softmax"
    assert set(document) >= {"exercise", "passed", "seed", "cases", "diagnosis", "stdout", "duration_s"}
    assert document["seed"] == 5
    assert all(set(c) >= {"name", "passed", "max_abs_err", "max_rel_err", "error"} for c in document["cases"])
