"""The tensors and numbers inside an encoded output, and which of them differ from the reference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def leaves(encoded: Any, path: str = "output") -> Iterator[tuple[str, Any]]:
    """(path, tensor or float) for every tensor and number in an encoded value."""
    if not isinstance(encoded, dict):
        return
    kind = encoded.get("kind")
    if kind == "tensor" and encoded.get("tensor") is not None:
        yield path, encoded["tensor"]
    elif kind in ("int", "float"):
        yield path, float(encoded["value"])
    elif kind in ("list", "tuple"):
        for i, item in enumerate(encoded.get("items", [])):
            yield from leaves(item, f"{path}[{i}]")
    elif kind == "dict":
        for key, item in encoded.get("items", {}).items():
            yield from leaves(item, f"{path}[{key!r}]")


def as_float64(value: Any):
    """A float64 tensor of a leaf (a number becomes a 0-d tensor)."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", torch.float64)
    return torch.tensor(float(value), dtype=torch.float64)


def differing_leaves(reference: Any, output: Any, atol: float, rtol: float) -> list[tuple[str, Any, Any]]:
    """(path, reference, output) as float64 tensors for each leaf of the same shape that differs."""
    import torch

    mine = dict(leaves(output))
    found = []
    for path, ref in leaves(reference):
        if path not in mine:
            continue
        r, o = as_float64(ref), as_float64(mine[path])
        if r.shape != o.shape:
            continue
        close = torch.isclose(o, r, atol=atol, rtol=rtol, equal_nan=True)
        if not bool(close.all()):
            found.append((path, r, o))
    return found


def first_difference(case: Any) -> tuple[str, Any, Any] | None:
    """The first differing leaf of a failing case, or None."""
    if case.output is None or case.reference is None:
        return None
    differing = differing_leaves(case.reference, case.output, case.atol, case.rtol)
    return differing[0] if differing else None
