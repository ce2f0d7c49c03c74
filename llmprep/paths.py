"""Where llmprep keeps its data, and where it finds the question bank and the exercises."""

from __future__ import annotations

import os
from pathlib import Path

from llmprep.errors import UserError

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(create: bool = True) -> Path:
    """The data directory: `LLMPREP_HOME` if set, else the platform's user data dir; created on first use."""
    override = os.environ.get("LLMPREP_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("llmprep", appauthor=False))
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"cannot create the data directory: {exc.strerror}",
                where=str(path),
                fix="set LLMPREP_HOME to a writable directory",
            ) from exc
    return path


def _bundled(name: str) -> Path:
    # A wheel carries the folder inside the package; a checkout (or editable install) has it
    # beside the package at the top of the repository.
    inside = PACKAGE_DIR / "_bundled" / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def questions_dir() -> Path:
    """The question bank shipped with llmprep."""
    return _bundled("questions")


def exercises_dir() -> Path:
    """The exercise folders shipped with llmprep."""
    return _bundled("exercises")
