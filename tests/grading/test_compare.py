"""The comparison rules: tolerance, non-finite values, dtype, shape, type."""

from __future__ import annotations

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from llmprep.execution.calling import encode_value
from llmprep.exercises import Tolerance
from llmprep.grading.compare import Errors, Expectation, compare_values, values_match

TOL = Tolerance(atol=1e-6, rtol=1e-4)
EXPECT = Expectation(dtype="float32", device="cpu")


def _judge(reference, got, expect=EXPECT):
    return compare_values(encode_value(reference), encode_value(got), TOL, expect, Errors())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=20), st.floats(0, 0.9))
def test_errors_inside_atol_plus_rtol_pass_and_outside_fail(values, fraction):
    reference = torch.tensor(values, dtype=torch.float64)
    allowed = TOL.atol + TOL.rtol * reference.abs()
    float64 = Expectation(dtype="float64", device="cpu")
    assert _judge(reference, reference + fraction * allowed, float64) is None
    assert _judge(reference, reference - fraction * allowed, float64) is None
    assert _judge(reference, reference + 1.5 * allowed, float64) is not None


def test_worst_element_is_reported():
    reference = torch.zeros(3, 4, dtype=torch.float64)
    got = torch.zeros(3, 4)
    got[2, 1] = 0.5
    got[0, 0] = 0.1
    mismatch = _judge(reference, got)
    assert mismatch.detail["index"] == [2, 1] and mismatch.detail["got"] == 0.5
    assert mismatch.max_abs_err == 0.5


def test_nan_where_reference_is_finite_fails_and_matching_inf_passes():
    assert "non-finite" in _judge(torch.ones(2, dtype=torch.float64), torch.tensor([1.0, float("nan")])).message
    inf = torch.tensor([float("-inf"), 1.0], dtype=torch.float64)
    assert _judge(inf, inf.float()) is None
    assert _judge(inf, torch.tensor([float("inf"), 1.0])) is not None


def test_type_shape_and_dtype():
    reference = torch.ones(2, 3, dtype=torch.float64)
    assert "wrong type" in _judge(reference, [[1.0] * 3] * 2).message
    assert "wrong shape" in _judge(reference, torch.ones(3, 2)).message
    assert "wrong dtype" in _judge(reference, torch.ones(2, 3, dtype=torch.float64)).message
    import numpy

    assert "numpy.ndarray" in _judge(reference, numpy.ones((2, 3))).message


def test_values_match_treats_nan_as_equal_for_diagnosis():
    a = encode_value(torch.tensor([float("nan"), 1.0]))
    assert values_match(a, encode_value(torch.tensor([float("nan"), 1.0])), TOL)
    assert not values_match(a, encode_value(torch.tensor([0.0, 1.0])), TOL)


def test_the_device_expected_is_the_references_own():
    """On a CUDA case, a reference whose output is built from sizes (or returned by a CPU harness) is
    on the CPU: the submission must match that, not the case's device."""
    on_cuda = Expectation(dtype="float32", device="cuda")
    reference = encode_value(torch.ones(3))
    cpu_output = encode_value(torch.ones(3))
    assert compare_values(reference, cpu_output, TOL, on_cuda, Errors()) is None
    cuda_reference = {**reference, "device": "cuda"}
    mismatch = compare_values(cuda_reference, cpu_output, TOL, on_cuda, Errors())
    assert mismatch is not None and "wrong device: output is on cpu, expected cuda" in mismatch.message
