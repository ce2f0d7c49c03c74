"""The exercise catalog: discovers `exercises/<id>/` folders and reads their exercise.toml
(parsed and checked by the model in `llmprep.exercise_toml`).

Nothing here imports torch; loading an exercise's Python files (spec, reference, mistakes)
happens in `llmprep.grading`, which needs torch anyway.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from llmprep.errors import UserError
from llmprep.exercise_toml import parse_exercise_toml
from llmprep.paths import exercises_dir
from llmprep.tolerance import Tolerance

HEADER = re.compile(r"^#\s*llmprep:\s*([A-Za-z0-9_.-]+)\s*$")
_README_SECTION = re.compile(r"<!--\s*lang:\s*(\w+)\s*-->")

# Used when exercise.toml does not state a tolerance for a dtype.
DEFAULT_TOLERANCES = {
    "float64": Tolerance(1e-9, 1e-7),
    "float32": Tolerance(1e-5, 1e-4),
    "float16": Tolerance(2e-3, 2e-2),
    "bfloat16": Tolerance(2e-2, 5e-2),
}


@dataclass(frozen=True)
class Exercise:
    """One exercise folder, as described by its exercise.toml."""

    id: str
    folder: Path
    title: dict[str, str]
    topic: str
    difficulty: str
    entry: str
    signature: str
    order: int = 0
    kind: str = "function"
    differentiable: bool = True
    output_dtype: str | None = None
    harness: str | None = None
    sources: tuple[str, ...] = ()
    banned: tuple[str, ...] = ()
    tolerances: dict[str, Tolerance] = field(default_factory=dict)
    grad_tolerances: dict[str, Tolerance] = field(default_factory=dict)
    hints: tuple[dict[str, str], ...] = ()

    def path(self, name: str) -> Path:
        """A file in the exercise's folder."""
        return self.folder / name

    def tolerance(self, dtype: str, *, grad: bool = False) -> Tolerance:
        """The tolerance for outputs (or gradients) in this dtype."""
        if grad and dtype in self.grad_tolerances:
            return self.grad_tolerances[dtype]
        return self.tolerances.get(dtype, DEFAULT_TOLERANCES[dtype])

    def title_in(self, lang: str) -> str:
        """The title in `lang`, else in English."""
        return self.title.get(lang) or self.title.get("en", self.id)

    def readme(self, lang: str) -> str:
        """The README section in `lang` (sections start with `<!-- lang: xx -->`), else all of it."""
        text = self.path("README.md").read_text(encoding="utf-8")
        sections = readme_sections(text)
        return sections.get(lang) or sections.get("en") or text


def readme_sections(text: str) -> dict[str, str]:
    """Split a README at its `<!-- lang: xx -->` markers."""
    parts = _README_SECTION.split(text)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def load_exercise_folder(folder: Path) -> Exercise:
    """Read one folder's exercise.toml; raises UserError naming the file, line and key on a problem."""
    toml_path = folder / "exercise.toml"
    try:
        text = toml_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read exercise.toml: {exc}", where=str(toml_path), fix="fix the file") from exc
    data = parse_exercise_toml(text, toml_path)
    return Exercise(
        id=data.id,
        folder=folder,
        title=data.title.model_dump(),
        topic=data.topic,
        difficulty=data.difficulty,
        entry=data.entry,
        signature=data.signature.strip(),
        order=data.order,
        kind=data.kind,
        differentiable=data.differentiable,
        output_dtype=data.output_dtype,
        harness=data.harness,
        sources=tuple(data.sources),
        banned=tuple(data.banned),
        tolerances=dict(data.tolerance),
        grad_tolerances=dict(data.grad_tolerance),
        hints=tuple(h.model_dump() for h in data.hints),
    )


def list_exercises(root: Path | None = None) -> list[Exercise]:
    """Every exercise folder under `root` (default: the bundled exercises), in catalog order."""
    root = exercises_dir() if root is None else root
    if not root.is_dir():
        return []
    folders = sorted(p.parent for p in root.glob("*/exercise.toml"))
    return sorted((load_exercise_folder(f) for f in folders), key=lambda e: (e.order, e.id))


def get_exercise(exercise_id: str, root: Path | None = None) -> Exercise:
    """The exercise with this id; a UserError listing the ids when there is none."""
    folder = (exercises_dir() if root is None else root) / exercise_id
    if exercise_id and "/" not in exercise_id and (folder / "exercise.toml").is_file():
        exercise = load_exercise_folder(folder)  # the usual layout: the folder is named by the id
        if exercise.id == exercise_id:
            return exercise
    exercises = list_exercises(root)
    for exercise in exercises:
        if exercise.id == exercise_id:
            return exercise
    raise UserError(f"no exercise called {exercise_id!r}", where="llmprep exercises",
                    fix="one of: " + ", ".join(e.id for e in exercises))


def defined_names(source: str) -> set[str]:
    """Top-level function, class and variable names in a Python source (parsed, never run)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def identify_exercise(file: Path, exercise_id: str | None = None, root: Path | None = None) -> Exercise:
    """Which exercise a submission is for: `exercise_id`, else its `# llmprep: ID` line, else the
    one exercise whose entry it defines. None or several: a UserError listing the candidates."""
    if exercise_id:
        return get_exercise(exercise_id, root)
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the file: {exc}", where=str(file), fix="check the path") from exc
    for line in source.splitlines()[:5]:
        match = HEADER.match(line.strip())
        if match:
            return get_exercise(match.group(1), root)
    exercises = list_exercises(root)
    try:
        names = defined_names(source)
    except SyntaxError as exc:
        raise UserError(
            f"cannot tell which exercise this is: the file does not parse ({exc.msg}, line {exc.lineno})",
            where=f"{file}:{exc.lineno}",
            fix="fix the syntax, or name the exercise: --exercise ID or a first line `# llmprep: ID`",
        ) from exc
    matches = [e for e in exercises if e.entry in names]
    if len(matches) == 1:
        return matches[0]
    candidates = matches or exercises
    listing = ", ".join(f"{e.id} ({e.entry})" for e in candidates)
    what = ("the file defines the entry of several exercises" if matches
            else "the file defines no exercise's entry")
    raise UserError(what, where=str(file),
                    fix=f"pass --exercise ID or add a first line `# llmprep: ID`; candidates: {listing}")
