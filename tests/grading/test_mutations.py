"""In-place edits of the inputs are found, NaN for NaN is not an edit."""

import math

import torch

from llmprep.execution.calling import CaseRequest
from llmprep.grading.check import _mutations


def _after(tensor):
    return {"0": tensor}


def test_nan_left_as_nan_is_not_an_edit():
    before = torch.tensor([1.0, math.nan])
    assert _mutations(CaseRequest(args=[before]), _after(before.clone()), ["x"]) == []


def test_a_value_turned_into_nan_is_an_edit():
    before = torch.tensor([1.5, 2.0])
    assert _mutations(CaseRequest(args=[before]), _after(torch.tensor([math.nan, 2.0])), ["x"]) == [
        "modified its input `x` in place"]


def test_infinity_turned_finite_is_an_edit():
    before = torch.tensor([math.inf, 0.0])
    after = torch.tensor([torch.finfo(torch.float32).max, 0.0])
    assert _mutations(CaseRequest(args=[before]), _after(after), ["x"]) != []
