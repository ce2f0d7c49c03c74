"""What a case is, and how an exercise's own Python files (spec, reference, mistakes) are loaded.

These files are trusted: they run in llmprep's process. Only the submission runs in the worker.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from llmprep.errors import UserError
from llmprep.exercises import Exercise


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


@dataclass
class Mistake:
    """A classic wrong implementation and the diagnosis it earns."""

    id: str
    implementation: Any
    en: str
    zh: str

    def message(self, lang: str) -> str:
        """The diagnosis in `lang`."""
        return self.zh if lang == "zh" and self.zh else self.en


def load_module(exercise: Exercise, filename: str) -> ModuleType:
    """Import `exercises/<id>/<filename>` under a private module name."""
    path = exercise.path(filename)
    name = f"llmprep_exercise_{exercise.id.replace('-', '_')}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise UserError(f"exercise {exercise.id} has no {filename}", where=str(path), fix="see exercises/FORMAT.md")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def reference_entry(exercise: Exercise) -> Any:
    """The reference implementation's entry (function or class)."""
    return getattr(load_module(exercise, "reference.py"), exercise.entry)


def load_mistakes(exercise: Exercise) -> list[Mistake]:
    """The mistakes listed in mistakes.py's MISTAKES (dicts with id, implementation, en, zh)."""
    module = load_module(exercise, "mistakes.py")
    return [Mistake(m["id"], m["implementation"], m["en"], m.get("zh", "")) for m in module.MISTAKES]


def make_cases(exercise: Exercise, seed: int, random_count: int = 6) -> list[Case]:
    """The spec's fixed cases followed by `random_count` random ones drawn from `seed`."""
    import torch

    spec = load_module(exercise, "spec.py")
    generator = torch.Generator().manual_seed(seed)
    cases = list(spec.fixed_cases()) + list(spec.random_cases(generator, random_count))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise UserError(f"duplicate case names {sorted(duplicates)}", where=str(exercise.path("spec.py")),
                        fix="give every case its own name")
    return cases


def spec_hook(exercise: Exercise, name: str) -> Any:
    """An optional function from spec.py (e.g. `properties`), or None."""
    return getattr(load_module(exercise, "spec.py"), name, None)
