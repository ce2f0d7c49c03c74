"""How far a computed value may be from the expected one: the one `Tolerance` of llmprep.

Exercises give one per dtype in exercise.toml (`atol`, `rtol`); the question bank gives one per
numeric question (`abs`, `rel`, the same two numbers under the names its YAML format uses).
"""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class Tolerance(BaseModel):
    """An element passes when |got - expected| <= atol + rtol·|expected|."""

    # strict: a tolerance written as a string or a boolean is a mistake to report, not to coerce;
    # an integer (`atol = 0`) is still a number.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    atol: float = Field(default=0.0, ge=0, validation_alias=AliasChoices("atol", "abs"))
    rtol: float = Field(default=0.0, ge=0, validation_alias=AliasChoices("rtol", "rel"))

    def __init__(self, atol: float = 0.0, rtol: float = 0.0, **aliases: float) -> None:
        # Positional `Tolerance(1e-5, 1e-4)` reads like torch.testing's (atol, rtol).
        super().__init__(atol=aliases.pop("abs", atol), rtol=aliases.pop("rel", rtol), **aliases)

    def allows(self, got: float, expected: float) -> bool:
        """True when the scalar `got` is within the tolerance of `expected` (a few ulps of slack,
        so that a bound written exactly, such as 0.5 around an integer, holds)."""
        slack = 4 * 2.0**-52 * max(abs(got), abs(expected))
        return abs(got - expected) <= self.atol + self.rtol * abs(expected) + slack

    def scaled(self, factor: float) -> Tolerance:
        """Both bounds multiplied by `factor` (a case's `tolerance_scale`)."""
        return self if factor == 1.0 else Tolerance(self.atol * factor, self.rtol * factor)
