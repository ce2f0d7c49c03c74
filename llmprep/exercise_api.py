"""The plugin API: all that an exercise folder's Python files import from llmprep.

spec.py builds `Case`s, mistakes.py lists `Mistake`s (see exercises/FORMAT.md). Nothing here
imports torch, so the catalog can describe exercises without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """One set of inputs for the entry.

    Floating tensors in `args`/`kwargs`/`state_dict` are cast to the dtype being checked; the
    reference sees the same values in float64. `expected` is an optional literal answer (a
    worked example from TOPICS.md) that the reference itself must reproduce. `grad` overrides
    the exercise's `differentiable`. `init` holds constructor arguments for module exercises.
    `tolerance_scale` multiplies atol and rtol for this case only: for inputs whose honest
    rounding error grows with their magnitude (softmax of logits near 1e4, long positions).
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    init: dict = field(default_factory=dict)
    expected: Any = None
    grad: bool | None = None
    tolerance_scale: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class Mistake:
    """A classic wrong implementation and the diagnosis it earns, in English and Chinese.

    `implementation` has the entry's signature (a class for a module exercise); `id` is
    kebab-case and unique within the exercise.
    """

    id: str
    implementation: Any
    en: str
    zh: str

    def __post_init__(self) -> None:
        if not callable(self.implementation):
            raise TypeError(f"mistake {self.id!r}: implementation must be a function or class, "
                            f"not {type(self.implementation).__name__}")
        if not (isinstance(self.en, str) and self.en.strip() and isinstance(self.zh, str) and self.zh.strip()):
            raise TypeError(f"mistake {self.id!r}: give the diagnosis in both `en` and `zh`")

    def message(self, lang: str) -> str:
        """The diagnosis in `lang`."""
        return self.zh if lang == "zh" else self.en
