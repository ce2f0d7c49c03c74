"""How far a computed value may be from the expected one: the one tolerance rule of llmprep.

`check` compares tensors with it (exercise.toml gives `atol` and `rtol` per dtype) and the quiz
grades numeric answers with it (the bank writes the same two numbers as `abs` and `rel`: see
`llmprep.quiz.numeric.Tolerance`, this class under those names).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Tolerance(BaseModel):
    """A value passes when |got - expected| <= atol + rtol·|expected|."""

    # strict: a tolerance written as a string or a boolean is a mistake to report, not to coerce
    # (an integer such as `atol = 0` is still a number); extra="forbid": a misspelt key is an error.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    atol: float = Field(default=0.0, ge=0)
    rtol: float = Field(default=0.0, ge=0)

    def __init__(self, atol: float | None = None, rtol: float | None = None, /, **data: float) -> None:
        # Positional `Tolerance(1e-5, 1e-4)` reads like torch.testing's (atol, rtol); only the
        # numbers given count as set (model_fields_set), as for keywords.
        if atol is not None:
            data["atol"] = atol
        if rtol is not None:
            data["rtol"] = rtol
        super().__init__(**data)

    def allowed(self, expected: float) -> float:
        """The largest error allowed around `expected`: atol + rtol·|expected|."""
        return self.atol + self.rtol * abs(expected)

    def allows(self, got: float, expected: float) -> bool:
        """True when the scalar `got` is within the tolerance of `expected` (a few ulps of slack,
        so that a bound written exactly, such as 0.5 around an integer, holds)."""
        slack = 4 * 2.0**-52 * max(abs(got), abs(expected))
        return abs(got - expected) <= self.allowed(expected) + slack

    def scaled(self, factor: float) -> Tolerance:
        """Both bounds multiplied by `factor` (a case's `tolerance_scale`)."""
        return self if factor == 1.0 else type(self)(self.atol * factor, self.rtol * factor)
