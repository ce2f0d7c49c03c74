"""seed_torch, what the calling convention seeds each case with, draws what torch.manual_seed draws."""

import torch

from llmprep.execution.calling import seed_torch


def _draws():
    return [torch.rand(4), torch.randn(2, 3), torch.randperm(7).double(), torch.nn.Linear(3, 2).weight.detach()]


def test_the_cpu_stream_is_torch_manual_seeds():
    for seed in (0, 1, 2**40 + 5):
        torch.manual_seed(seed)
        expected = _draws()
        torch.manual_seed(seed + 1)  # something else in between
        seed_torch(seed)
        got = _draws()
        assert all(torch.equal(a, b) for a, b in zip(expected, got, strict=True)), seed
