"""Judging one case: the submission's raw results against the reference's, in the parent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from llmprep.exercises import Tolerance


@dataclass
class Mismatch:
    """Why two encoded values differ, with the worst element when they are tensors."""

    message: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    detail: dict | None = None


@dataclass
class Errors:
    """The largest absolute and relative errors seen so far (None when nothing was compared)."""

    max_abs: float | None = None
    max_rel: float | None = None

    def add(self, abs_err: float, rel_err: float) -> None:
        """Keep the larger of the current and the new errors."""
        self.max_abs = abs_err if self.max_abs is None else max(self.max_abs, abs_err)
        self.max_rel = rel_err if self.max_rel is None else max(self.max_rel, rel_err)


@dataclass
class Expectation:
    """What a returned tensor must be besides its values."""

    dtype: str | None = None   # e.g. "float32"; None: any floating dtype
    device: str | None = None  # "cpu" or "cuda"


@dataclass
class CaseResult:
    """The verdict on one case."""

    name: str
    shapes: str
    passed: bool
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    error: str | None = None
    detail: dict | None = None
    traceback: str | None = None
    seconds: float | None = None
    output: Any = None  # the submission's encoded output, for the diagnosis
    kind: str = ""  # how it failed: values, nonfinite, shape, dtype, error, gradient, other
    error_type: str | None = None  # the exception's type when the submission raised
    error_line: int | None = None  # and the line of the submission's file it raised at

    def to_json(self) -> dict:
        """The case as in `llmprep check --json`."""
        return {"name": self.name, "shapes": self.shapes, "passed": self.passed,
                "max_abs_err": _finite_or_none(self.max_abs_err), "max_rel_err": _finite_or_none(self.max_rel_err),
                "error": self.error, "detail": self.detail}


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def describe_kind(encoded: dict) -> str:
    """A person's name for an encoded value's type."""
    kind = encoded.get("kind")
    if kind == "tensor":
        return "a Tensor"
    if kind == "unsupported":
        return f"a {encoded.get('type')}"
    return {"none": "None", "list": "a list", "tuple": "a tuple", "dict": "a dict"}.get(kind, f"a {kind}")


def compare_values(expected: dict, got: dict, tolerance: Tolerance, expect: Expectation,
                   errors: Errors, path: str = "output") -> Mismatch | None:
    """Compare two encoded values (see worker.encode_value); None when they agree."""
    kind = expected.get("kind")
    if not isinstance(got, dict) or "kind" not in got:
        return Mismatch(f"{path}: nothing usable came back")
    same_kind = got.get("kind") == kind or {got.get("kind"), kind} <= {"list", "tuple"} or \
        {got.get("kind"), kind} <= {"int", "float"}
    if not same_kind:
        return Mismatch(f"wrong type: {path} is {describe_kind(got)}, expected {describe_kind(expected)}")
    if kind == "tensor":
        return compare_tensors(expected, got, tolerance, expect, errors, path)
    if kind in ("list", "tuple"):
        want, have = expected["items"], got.get("items", [])
        if len(want) != len(have):
            return Mismatch(f"wrong length: {path} has {len(have)} items, expected {len(want)}")
        for i, (e, g) in enumerate(zip(want, have, strict=False)):
            problem = compare_values(e, g, tolerance, expect, errors, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if kind == "dict":
        want, have = expected["items"], got.get("items", {})
        if set(want) != set(have):
            return Mismatch(f"{path} has keys {sorted(have)}, expected {sorted(want)}")
        for key in want:
            problem = compare_values(want[key], have[key], tolerance, expect, errors, f"{path}[{key!r}]")
            if problem:
                return problem
        return None
    if kind in ("int", "float"):
        e, g = float(expected["value"]), float(got.get("value", math.nan))
        abs_err = abs(g - e) if math.isfinite(g) else math.inf
        errors.add(abs_err, abs_err / abs(e) if e else abs_err)
        if not abs_err <= tolerance.atol + tolerance.rtol * abs(e):
            return Mismatch(f"{path} is {g:.6g}, expected {e:.6g}", abs_err, None,
                            {"index": None, "expected": e, "got": g})
        return None
    if expected.get("value") != got.get("value"):
        return Mismatch(f"{path} is {got.get('value')!r}, expected {expected.get('value')!r}")
    return None


def compare_tensors(expected: dict, got: dict, tolerance: Tolerance, expect: Expectation,
                    errors: Errors, path: str = "output") -> Mismatch | None:
    """Shape, dtype, device, then values: finite where the reference is, within atol + rtol·|ref|."""
    import torch

    ref, out = expected["tensor"], got.get("tensor")
    if not isinstance(out, torch.Tensor):
        return Mismatch(f"{path}: no tensor came back")
    if tuple(out.shape) != tuple(ref.shape):
        return Mismatch(f"wrong shape: {path} is {shape_text(out.shape)}, expected {shape_text(ref.shape)}")
    want_dtype = expect.dtype if ref.is_floating_point() else str(ref.dtype).replace("torch.", "")
    if want_dtype and got.get("dtype") != want_dtype:
        return Mismatch(f"wrong dtype: {path} is {got.get('dtype')}, expected {want_dtype}")
    # The reference's own output decides: a reference that builds its output from sizes alone, or
    # whose harness returns CPU tensors, puts it on the CPU whatever the case's device.
    want_device = expected.get("device") or expect.device
    if want_device and got.get("device") != want_device:
        return Mismatch(f"wrong device: {path} is on {got.get('device')}, expected {want_device}")
    if not ref.is_floating_point():
        if not torch.equal(ref, out):
            index = tuple(int(i) for i in (ref != out).nonzero()[0].tolist())
            # Worded like a float mismatch so that the diagnosis also looks at exact outputs (masks, ids).
            count = int((ref != out).sum())
            return Mismatch(f"wrong values: {count} of {ref.numel()} elements of {path} differ, "
                            f"the first at {list(index)}", detail={
                "index": list(index), "expected": ref[index].item(), "got": out[index].item()})
        return None
    ref64, out64 = ref.double(), out.double()
    finite = torch.isfinite(ref64)
    bad_nonfinite = finite & ~torch.isfinite(out64)
    if (~finite).any():
        # Where the reference itself is inf or NaN the submission must agree exactly.
        same = (ref64 == out64) | (torch.isnan(ref64) & torch.isnan(out64))
        bad_nonfinite |= ~finite & ~same
    diff = torch.where(finite & torch.isfinite(out64), (out64 - ref64).abs(), torch.zeros_like(ref64))
    scale = ref64.abs().where(finite, torch.zeros_like(ref64))
    allowed = tolerance.atol + tolerance.rtol * scale
    # Relative error only where the reference is large enough for it to mean something.
    rel = torch.where(scale > tolerance.atol, diff / scale.clamp_min(1e-300), torch.zeros_like(diff))
    if ref64.numel():
        # A NaN or inf where the reference is finite is an infinite error, never "0".
        worst = math.inf if bad_nonfinite.any() else None
        errors.add(worst or float(diff.max()), worst or float(rel.max()))
    if bad_nonfinite.any():
        index = tuple(int(i) for i in bad_nonfinite.nonzero()[0].tolist())
        mine = finite & ~torch.isfinite(out64)
        if mine.any():
            message = f"non-finite values: {path} has {int(mine.sum())} NaN or inf where the reference is finite"
            index = tuple(int(i) for i in mine.nonzero()[0].tolist())
        else:  # the reverse: the reference is inf or NaN (a −inf mask) where the output is not
            message = (f"non-finite values: the reference has {int(bad_nonfinite.sum())} inf or NaN where {path} "
                       "is finite or different")
        return Mismatch(message, math.inf, math.inf,
                        {"index": list(index), "expected": ref64[index].item(), "got": out64[index].item()})
    excess = diff - allowed
    if ref64.numel() and float(excess.max()) > 0:
        flat = int(excess.argmax())
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), ref64.shape))
        count = int((excess > 0).sum())
        return Mismatch(
            f"wrong values: {count} of {ref64.numel()} elements of {path} outside atol + rtol·|ref| "
            f"(atol={tolerance.atol:g}, rtol={tolerance.rtol:g})",
            float(diff.max()), float(rel.max()),
            {"index": list(index), "expected": ref64[index].item(), "got": out64[index].item(),
             "allowed": float(allowed[index])},
        )
    return None


def shape_text(shape) -> str:
    """(2, 3, 4) -> '2×3×4'; a scalar is '()'."""
    return "×".join(str(int(s)) for s in shape) if len(shape) else "()"


def values_match(a: dict, b: dict, tolerance: Tolerance) -> bool:
    """True when two encoded outputs agree within tolerance, NaN matching NaN (for diagnosis)."""
    import torch

    if a.get("kind") != b.get("kind"):
        return False
    if a["kind"] == "tensor":
        x, y = a["tensor"], b.get("tensor")
        if not isinstance(y, torch.Tensor) or x.shape != y.shape:
            return False
        if not x.is_floating_point() or not y.is_floating_point():
            return bool(torch.equal(x, y))
        x, y = x.double(), y.double()
        return bool(torch.isclose(y, x, atol=tolerance.atol, rtol=tolerance.rtol, equal_nan=True).all())
    if a["kind"] in ("list", "tuple"):
        return len(a["items"]) == len(b["items"]) and all(
            values_match(x, y, tolerance) for x, y in zip(a["items"], b["items"], strict=False))
    if a["kind"] == "dict":
        return set(a["items"]) == set(b["items"]) and all(
            values_match(a["items"][k], b["items"][k], tolerance) for k in a["items"])
    if a["kind"] in ("int", "float"):
        return math.isclose(float(a["value"]), float(b["value"]), rel_tol=tolerance.rtol, abs_tol=tolerance.atol)
    return a.get("value") == b.get("value")
