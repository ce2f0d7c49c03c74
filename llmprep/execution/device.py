"""Choosing the device a run uses."""

from __future__ import annotations

from llmprep.errors import UserError


def resolve_device(requested: str, command: str) -> tuple[str, str | None]:
    """("cpu" or "cuda", a note for "auto" on a machine without CUDA); `--device cuda` without CUDA
    is a UserError naming `command` (e.g. "llmprep check")."""
    import torch

    if requested == "cpu":
        return "cpu", None
    if torch.cuda.is_available():
        return "cuda", None
    if requested == "cuda":
        raise UserError("--device cuda was asked for, but torch sees no CUDA device",
                        where=f"{command} --device cuda",
                        fix="run `llmprep doctor` to see why, or use --device cpu (auto picks the CPU here)")
    return "cpu", f"auto: torch sees no CUDA device, so the {command.split()[-1]} runs on the CPU"
