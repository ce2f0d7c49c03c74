"""The `llmprep` command group. Each command lives in its own module and is imported only when run."""

from __future__ import annotations

import importlib

import click

from llmprep import __version__
from llmprep.console import get_console
from llmprep.errors import UserError

# name -> "module:function". Only commands that exist are listed here.
COMMANDS = {
    "doctor": "llmprep.cli.doctor:doctor",
    "quiz": "llmprep.cli.quiz:quiz",
    "questions": "llmprep.cli.questions:questions",
    "check": "llmprep.cli.check:check",
    "exercises": "llmprep.cli.exercises:exercises",
    "start": "llmprep.cli.start:start",
    "hint": "llmprep.cli.hint:hint",
    "solution": "llmprep.cli.solution:solution",
    "progress": "llmprep.cli.progress:progress",
    "bench": "llmprep.cli.bench:bench",
}

HELP = """A coach for LLM research and engineering interviews.

\b
  llmprep quiz            drill bilingual interview questions, scheduled by spaced repetition
  llmprep check FILE      grade your implementation (attention, RoPE, a training step, ...)
  llmprep bench [FILE]    time it against PyTorch and ONNX Runtime, and the hardware's limit

Start with `llmprep doctor` to see what this machine can run.
Progress is kept in LLMPREP_HOME (default: your platform's user data directory).
"""


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs, so `--help` stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return super().get_command(ctx, name)
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as error:
            get_console().report_user_error(error)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            get_console().note("interrupted")
            ctx.exit(130)


@click.group(cls=LazyGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="llmprep")
def cli() -> None:
    pass


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="llmprep")
