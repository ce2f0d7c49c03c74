"""What a case is, and how an exercise's own Python files (spec, reference, mistakes) are loaded.

These files are trusted: they run in llmprep's process. Only the submission runs in the worker.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from types import ModuleType
from typing import Any

from llmprep.errors import UserError
from llmprep.exercise_api import Case, Mistake
from llmprep.exercises import Exercise

__all__ = ["Case", "Mistake", "load_module", "reference_entry", "load_mistakes", "make_cases", "spec_hook",
           "run_properties"]


def load_module(exercise: Exercise, filename: str) -> ModuleType:
    """Import `exercises/<id>/<filename>` under a private module name."""
    path = exercise.path(filename)
    name = f"llmprep_exercise_{exercise.id.replace('-', '_')}_{path.stem}"
    cached = sys.modules.get(name)
    if cached is not None and getattr(cached, "__file__", None) == str(path):
        return cached
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise UserError(f"exercise {exercise.id} has no {filename}", where=str(path), fix="see exercises/FORMAT.md")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # an exercise author's mistake: name the file and line, no traceback
        del sys.modules[name]
        raise UserError(f"{filename} of exercise {exercise.id} failed to load: {type(exc).__name__}: {exc}",
                        where=f"{path}:{_line_in(exc, path)}", fix="fix the file (see exercises/FORMAT.md)") from exc
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _line_in(exc: BaseException, path) -> int | str:
    """The line of `path` where `exc` was raised (the innermost frame in that file), else '?'."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    return frames[-1].lineno if frames else "?"


def reference_entry(exercise: Exercise) -> Any:
    """The reference implementation's entry (function or class)."""
    return getattr(load_module(exercise, "reference.py"), exercise.entry)


def load_mistakes(exercise: Exercise) -> list[Mistake]:
    """The `Mistake`s listed in mistakes.py's MISTAKES; a UserError when it lists anything else."""
    module = load_module(exercise, "mistakes.py")
    mistakes = list(getattr(module, "MISTAKES", []))
    for number, mistake in enumerate(mistakes):
        if not isinstance(mistake, Mistake):
            raise UserError(f"MISTAKES[{number}] is a {type(mistake).__name__}, not a Mistake",
                            where=str(exercise.path("mistakes.py")),
                            fix="write Mistake(id=..., implementation=..., en=..., zh=...) "
                                "(from llmprep.exercise_api import Mistake)")
    ids = [m.id for m in mistakes]
    if len(set(ids)) != len(ids):
        raise UserError(f"duplicate mistake ids {sorted({i for i in ids if ids.count(i) > 1})}",
                        where=str(exercise.path("mistakes.py")), fix="give every mistake its own id")
    return mistakes


def make_cases(exercise: Exercise, seed: int, random_count: int = 6) -> list[Case]:
    """The spec's fixed cases followed by `random_count` random ones drawn from `seed`."""
    import torch

    spec = load_module(exercise, "spec.py")
    where = str(exercise.path("spec.py"))
    for required in ("fixed_cases", "random_cases"):
        if not callable(getattr(spec, required, None)):
            raise UserError(f"spec.py defines no {required}()", where=where, fix="see exercises/FORMAT.md")
    fixed = list(spec.fixed_cases())
    generator = torch.Generator().manual_seed(seed)
    randoms = list(spec.random_cases(generator, random_count))
    if len(randoms) != random_count:
        raise UserError(f"random_cases(gen, {random_count}) returned {len(randoms)} cases", where=where,
                        fix="return exactly `count` cases")
    cases = fixed + randoms
    strays = [type(c).__name__ for c in cases if not isinstance(c, Case)]
    if strays:
        raise UserError(f"the cases must be Case objects, not {', '.join(sorted(set(strays)))}", where=where,
                        fix="from llmprep.exercise_api import Case")
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise UserError(f"duplicate case names {sorted(duplicates)}", where=str(exercise.path("spec.py")),
                        fix="give every case its own name")
    return cases


def spec_hook(exercise: Exercise, name: str) -> Any:
    """An optional function from spec.py (e.g. `properties`), or None."""
    return getattr(load_module(exercise, "spec.py"), name, None)


def decoded(value: Any) -> Any:
    """A value as the worker encodes it ({"kind": "tensor", "tensor": ...}) turned back into the
    value itself: tensors, numbers, None, and lists, tuples and dicts of them."""
    if not isinstance(value, dict) or "kind" not in value:
        return value
    kind = value["kind"]
    if kind == "tensor":
        return value["tensor"]
    if kind in ("list", "tuple"):
        items = [decoded(item) for item in value["items"]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {key: decoded(item) for key, item in value["items"].items()}
    if kind == "none":
        return None
    return value.get("value", value)


def run_properties(exercise: Exercise, case: Case, output: Any, reference: Any) -> list[str]:
    """The messages of the spec's `properties(case, output, reference)` that failed (none when the
    spec has no properties); `output` and `reference` are passed as values (tensors), not encoded."""
    properties = spec_hook(exercise, "properties")
    if properties is None:
        return []
    return list(properties(case, decoded(output), decoded(reference)) or [])
