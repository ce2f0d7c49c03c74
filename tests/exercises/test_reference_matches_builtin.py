"""The references of the module exercises that PyTorch also implements equal PyTorch's own module
with the same weights (float64, dropout 0): a reference that drifted from the built-in would
grade every user against the wrong answer. These checks once ran inside spec.fixed_cases(), i.e.
on every user's check; they belong here."""

from __future__ import annotations

import pytest
import torch

from llmprep.exercises import get_exercise
from llmprep.grading.cases import load_module, reference_entry

SEED = 0


def _x(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def _padding(lengths, S):
    """(B, S) bool, True at padding; every row keeps at least one real position."""
    return torch.arange(S)[None, :] >= torch.tensor(lengths)[:, None]


def _builtin(exercise):
    """The spec's built-in baseline: `builtin` in spec.py, or the `builtin` of its bench declaration."""
    spec = load_module(exercise, "spec.py")
    if getattr(spec, "builtin", None) is not None:
        return spec.builtin
    return next(value.builtin for value in vars(spec).values()
                if not isinstance(value, type) and getattr(value, "builtin", None) is not None)


def _gqa(gen):
    x = _x(gen, 2, 5, 24)
    return [({"d_model": 24, "n_heads": h, "n_kv_heads": kv}, (x,), kwargs)
            for h, kv in ((6, 2), (6, 3), (6, 1), (6, 6)) for kwargs in ({}, {"is_causal": True})]


def _encoder(gen):
    x, mask = _x(gen, 3, 5, 8), _padding([5, 2, 4], 5)
    return [({"d_model": 8, "n_heads": 2, "d_ff": 24, "norm_first": norm_first}, (x,), kwargs)
            for norm_first in (False, True) for kwargs in ({}, {"key_padding_mask": mask})]


def _decoder(gen):
    tgt, memory, mask = _x(gen, 3, 5, 8), _x(gen, 3, 4, 8), _padding([4, 1, 3], 4)
    return [({"d_model": 8, "n_heads": 2, "d_ff": 24, "norm_first": norm_first}, (tgt, memory), kwargs)
            for norm_first in (False, True) for kwargs in ({}, {"memory_key_padding_mask": mask})]


CALLS = {"grouped-query-attention": _gqa, "transformer-encoder-block": _encoder,
         "transformer-decoder-block": _decoder}


@pytest.mark.parametrize("exercise_id", sorted(CALLS))
def test_reference_equals_the_pytorch_module_with_the_same_weights(exercise_id, seed_note):
    exercise = get_exercise(exercise_id)
    seed_note(SEED)
    for init, args, kwargs in CALLS[exercise_id](torch.Generator().manual_seed(SEED)):
        torch.manual_seed(SEED + 1)
        ours = reference_entry(exercise)(**init).double()
        theirs = _builtin(exercise)(**init).double()
        theirs.load_state_dict(ours.state_dict(), strict=True)
        with torch.no_grad():
            torch.testing.assert_close(ours(*args, **kwargs), theirs(*args, **kwargs), atol=1e-12, rtol=0,
                                       msg=lambda m, init=init, kwargs=kwargs: f"{init} {sorted(kwargs)}: {m}")
