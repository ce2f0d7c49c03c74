"""What an analysis looks at: per case, its verdict, its outputs and the facts that describe it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fact:
    """Something true of a case, in words: "`n_heads` > 1", "`q` is not contiguous"."""

    key: str
    en: str
    zh: str


@dataclass
class Finding:
    """One fact about the mismatch, in English and Chinese."""

    id: str
    en: str
    zh: str

    def message(self, lang: str) -> str:
        """The finding in `lang`."""
        return self.zh if lang == "zh" else self.en


@dataclass
class CaseEvidence:
    """One case as the analyses see it.

    `reference` and `output` are encoded values (see the worker's encode_value); `output` is None
    when the case raised. `kind` says how it failed: "values", "nonfinite", "shape", "error",
    "gradient", "other" (or "" when it passed). `facts` describe the case (its arguments, the
    sizes of its tensors, whether it repeats an earlier case); `quantities` are the numbers a
    constant ratio may match, with their names. `repeat_of` is the index of the case whose
    inputs this one repeats, called again later in the same process.
    """

    name: str
    passed: bool
    kind: str = ""
    inputs: str = ""  # the case's inputs in words ("q 2×3×4, k 2×5×4, is_causal")
    reference: Any = None
    output: Any = None
    atol: float = 0.0
    rtol: float = 0.0
    error: str = ""
    error_type: str = ""
    error_line: int | None = None
    facts: list[Fact] = field(default_factory=list)
    quantities: list[tuple[float, str, str]] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)  # the case's numeric arguments, by name
    repeat_of: int | None = None
