"""Edge cases the framework builds from an exercise's own fixed cases, so that a bug which fails
on some seed fails on every seed: non-contiguous views of every tensor input, the leading axis
at size 1, boolean options flipped, and the first case run again at the end (state kept between
calls). A variant the reference cannot run on (a slice that breaks the exercise's rules) is
dropped; variants are built for plain function and module exercises, not for harnesses, whose
inputs are not the entry's own."""

from __future__ import annotations

import dataclasses
from typing import Any

MAX_PER_KIND = 2  # variants of each kind: enough to catch the bug, few enough to stay fast

AGAIN_SUFFIX = " again"


def noncontiguous(t: Any) -> Any:
    """The same values in a non-contiguous layout: the last axes stored transposed (like a head
    split's transpose), a 1-D tensor as every other element of a longer one."""
    import torch

    if not isinstance(t, torch.Tensor) or t.dim() == 0 or t.numel() < 2:
        return t
    if t.dim() == 1:
        return torch.stack([t, torch.zeros_like(t)], dim=-1)[..., 0]
    a, b = (-3, -2) if t.dim() >= 3 and t.shape[-3] > 1 and t.shape[-2] > 1 else (-2, -1)
    return t.transpose(a, b).contiguous().transpose(a, b)


def _map_tensors(values: Any, change) -> Any:
    import torch

    if isinstance(values, torch.Tensor):
        return change(values)
    if isinstance(values, (list, tuple)):
        return type(values)(_map_tensors(v, change) for v in values)
    if isinstance(values, dict):
        return {k: _map_tensors(v, change) for k, v in values.items()}
    return values


def _first_axis_to_one(case: Any) -> Any | None:
    import torch

    tensors = [v for v in list(case.args) + list(case.kwargs.values()) if isinstance(v, torch.Tensor) and v.dim() >= 1]
    if not tensors or tensors[0].shape[0] < 2:
        return None
    size = tensors[0].shape[0]

    def slice_first(t):
        return t[:1].clone() if t.dim() >= 2 and t.shape[0] == size else t
    return dataclasses.replace(case, name=f"{case.name} (first axis 1)", args=_map_tensors(tuple(case.args), slice_first),
                               kwargs=_map_tensors(dict(case.kwargs), slice_first), expected=None)


def _variants(case: Any, options: dict[str, Any]) -> list[Any]:
    import torch

    found = []
    if any(isinstance(v, torch.Tensor) and v.dim() >= 1 and v.numel() > 1
           for v in list(case.args) + list(case.kwargs.values())):
        found.append(("noncontiguous", dataclasses.replace(
            case, name=f"{case.name} (non-contiguous)", args=_map_tensors(tuple(case.args), noncontiguous),
            kwargs=_map_tensors(dict(case.kwargs), noncontiguous))))
    sliced = _first_axis_to_one(case)
    if sliced is not None:
        found.append(("size-1", sliced))
    for name, default in options.items():
        if isinstance(default, bool) and name not in case.kwargs:
            found.append((f"flip-{name}", dataclasses.replace(case, name=f"{case.name} ({name}={not default})",
                                                             kwargs={**case.kwargs, name: not default}, expected=None)))
    return found


def _richness(case: Any) -> tuple[int, int]:
    """Cases with more dimensions first: a non-contiguous 4-D input breaks more code than a 2-D one."""
    import torch

    tensors = [v for v in list(case.args) + list(case.kwargs.values()) if isinstance(v, torch.Tensor)]
    return max((t.dim() for t in tensors), default=0), sum(t.numel() for t in tensors)


def edge_variants(exercise: Any, cases: list[Any], options: dict[str, Any]) -> list[Any]:
    """Variants of the fixed cases (at most MAX_PER_KIND of each kind); the caller drops those the
    reference cannot run on. `options` maps the entry's keyword parameters to their defaults."""
    if exercise.harness:
        return []
    extra = []
    counts: dict[str, int] = {}
    names = {c.name for c in cases}
    for case in sorted((c for c in cases if not c.name.startswith("random-")), key=_richness, reverse=True):
        for kind, variant in _variants(case, options):
            if counts.get(kind, 0) >= MAX_PER_KIND or variant.name in names:
                continue
            counts[kind] = counts.get(kind, 0) + 1
            names.add(variant.name)
            extra.append(variant)
    return extra


def again(case: Any) -> Any:
    """The same case, to run once more after all the others."""
    return dataclasses.replace(case, name=case.name + AGAIN_SUFFIX)
