"""Generated question families: each module here registers one or more `Family`.

A family turns a seed into a fresh `Question` (id `gen:<family>:<seed>`, with `family` and
`params` set), so numbers are practised on values nobody memorised. Modules are imported
only by `load_families()`, which `llmprep quiz --generated` and `--list-generators` call:
a plain `llmprep quiz` never pays for them.

A module adds its family with:

    register(Family(name="softmax-ce", topic="training",
                    description={"en": "...", "zh": "..."}, generate=make_question))
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmprep.quiz.schema import Question


@dataclass(frozen=True)
class Family:
    """A generator of questions: `generate(seed)` returns the question for that seed."""

    name: str
    topic: str
    description: dict[str, str]  # {"en": ..., "zh": ...}
    generate: Callable[[int], Question]


FAMILIES: dict[str, Family] = {}


def register(family: Family) -> Family:
    """Add a family to the registry (a module calls this at import time)."""
    existing = FAMILIES.get(family.name)
    if existing is not None and existing is not family:
        raise ValueError(f"two generator families are named {family.name!r}")
    FAMILIES[family.name] = family
    return family


def load_families() -> dict[str, Family]:
    """Import every module of this package so each registers its families; return the registry."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return FAMILIES
