"""The `llmprep` command group. Each command lives in its own module and is imported only when run."""

from __future__ import annotations

import importlib
import sys

import click

from llmprep import __version__
from llmprep.console import Console
from llmprep.errors import UserError
from llmprep.language import default_language
from llmprep.messages import message

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
    "next": "llmprep.cli.next:next_step",
    "watch": "llmprep.cli.watch:watch",
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

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run a command; every failure becomes a message and an exit code, and with `--json` also the one
        JSON document on stdout (usage errors and Ctrl-C included), before click could print anything."""
        argv = list(sys.argv[1:] if args is None else args)
        console = Console(json_mode=asks_for_json(argv), lang=asks_for_lang(argv))
        extra.setdefault("obj", console)  # the console of this invocation (get_console finds it)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        except UserError as error:
            console.report_user_error(error)
            code = error.exit_code
        except click.UsageError as error:
            code = _report_click_error(console, error, prog_name, fix=_help_fix(error, prog_name))
        except click.ClickException as error:
            code = _report_click_error(console, error, prog_name, fix=None)
        except (click.Abort, KeyboardInterrupt):
            what = message("console.interrupted", console.lang or default_language())
            console.report_user_error(UserError(what, where=None, fix=None, exit_code=130), quiet=True)
            console.note(what)
            code = 130
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if code:
                console.report_unexplained_exit(code)
        except Exception as error:  # a bug: the JSON contract still holds, then the traceback
            console.report_unexplained_exit(1, f"internal error ({type(error).__name__}: {error})")
            raise
        if standalone_mode:
            sys.exit(code)
        return code


def asks_for_json(argv: list[str]) -> bool:
    """Whether `--json` is among the options (before a `--`)."""
    options = argv[:argv.index("--")] if "--" in argv else argv
    return "--json" in options


def asks_for_lang(argv: list[str]) -> str | None:
    """The value of `--lang` among the options, so the console's own labels speak it from the start."""
    options = argv[:argv.index("--")] if "--" in argv else argv
    for index, arg in enumerate(options):
        if arg == "--lang" and index + 1 < len(options) and options[index + 1] in ("en", "zh"):
            return options[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in ("en", "zh"):
            return arg.split("=", 1)[1]
    return None


def _help_fix(error: click.UsageError, prog_name: str | None) -> str:
    path = error.ctx.command_path if error.ctx is not None else (prog_name or "llmprep")
    return f"see `{path} --help`"


def _report_click_error(console: Console, error: click.ClickException, prog_name: str | None,
                        fix: str | None) -> int:
    where = None
    if isinstance(error, click.UsageError):
        where = error.ctx.command_path if error.ctx is not None else (prog_name or "llmprep")
    console.report_user_error(UserError(error.format_message(), where=where, fix=fix, exit_code=error.exit_code),
                              quiet=True)
    error.show()  # click's own usage line and message, on stderr
    return error.exit_code


@click.group("llmprep", cls=LazyGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="llmprep")
def cli() -> None:
    pass


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="llmprep")
