"""The one place that talks to the terminal.

Results go to stdout, diagnostics and errors to stderr. In `--json` mode stdout carries
exactly one JSON document and everything meant for people goes to stderr. Colour is off
when the stream is not a terminal or when NO_COLOR is set.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from llmprep.errors import UserError

if TYPE_CHECKING:
    from rich.console import Console as RichConsole


def _colour_allowed(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """Owns stdout and stderr for one command invocation."""

    def __init__(self, json_mode: bool = False, lang: str | None = None):
        self.json_mode = json_mode
        self.lang = lang  # of the labels this console prints itself; None: the locale's
        self._json_written = False

    # Rich consoles are made per call so they follow sys.stdout/sys.stderr as they are now
    # (click's CliRunner swaps them between invocations).
    def _rich(self, stream, min_width: int | None = None) -> RichConsole:
        # Imported here: rich costs ~15 ms, and `llmprep --help` never needs it.
        from rich.console import Console as RichConsole

        colour = _colour_allowed(stream)
        width = None if colour else int(os.environ.get("COLUMNS", "100"))
        if min_width is not None:
            width = max(width or RichConsole(file=stream).width, min_width)
        return RichConsole(
            file=stream,
            no_color=not colour,
            force_terminal=colour,
            color_system="auto" if colour else None,
            highlight=False,
            width=width,
        )

    def _out_stream(self):
        return sys.stderr if self.json_mode else sys.stdout

    @property
    def out(self) -> RichConsole:
        """The results console: stdout, or stderr while stdout is reserved for JSON."""
        return self._rich(self._out_stream())

    @property
    def err(self) -> RichConsole:
        """The diagnostics console (stderr)."""
        return self._rich(sys.stderr)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print a result for people. Into a pipe or a file a line of text stays one line (a reader,
        grep or a test sees every phrase whole); boxes and tables still take the width."""
        from rich.console import Group

        out = self.out
        if len(objects) == 1 and isinstance(objects[0], Group) and not kwargs:
            for part in objects[0].renderables:  # a group is its parts one after another: each by this rule
                self.print(part)
            return
        if all(isinstance(item, str) for item in objects) and not _colour_allowed(out.file):
            kwargs.setdefault("soft_wrap", True)
        out.print(*objects, **kwargs)

    def print_unclipped(self, renderable: Any) -> None:
        """Print a table without cutting or breaking a word: on a terminal, wider than the terminal when a
        word does not fit (a measured number cut to "4.7…" is worse than a line the terminal wraps);
        into a pipe or a file, at its natural width, so every line is whole."""
        from rich.measure import Measurement
        from rich.table import Table

        out = self.out
        if not isinstance(renderable, Table):  # text wraps as usual
            out.print(renderable)
            return
        measured = Measurement.get(out, out.options.update_width(10_000), renderable)
        needed = measured.minimum if self._is_tty() else measured.maximum
        if needed > out.width:
            out = self._rich(self._out_stream(), min_width=needed)
        out.print(renderable)

    def _is_tty(self) -> bool:
        isatty = getattr(self._out_stream(), "isatty", None)
        return bool(isatty and isatty())

    def note(self, message: str) -> None:
        """A diagnostic line on stderr."""
        self.err.print(f"[dim]{message}[/dim]", soft_wrap=not _colour_allowed(sys.stderr))

    def warn(self, message: str) -> None:
        """A warning on stderr."""
        from llmprep.language import default_language
        from llmprep.messages import message as text

        self.err.print(f"[yellow]{text('console.warning', self.lang or default_language())}[/yellow] {message}",
                       soft_wrap=not _colour_allowed(sys.stderr))

    def note_store_wait(self) -> None:
        """Say why a command pauses: its write waits for another llmprep (give it as `store.database.on_wait`)."""
        from llmprep.language import default_language
        from llmprep.messages import message as text

        self.note(text("console.store_waiting", self.lang or default_language()))

    def emit_json(self, document: Any) -> None:
        """Write the command's one JSON document to stdout."""
        if self._json_written:
            raise RuntimeError("a command may write only one JSON document")
        self._json_written = True
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
        sys.stdout.flush()

    def emit_json_line(self, document: Any) -> None:
        """Write one compact JSON document on its own line, for a command that reports again and again
        (`llmprep watch --json`: one line per verdict)."""
        sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def report_user_error(self, error: UserError, quiet: bool = False) -> None:
        """Tell the user what went wrong, where, and what to do (stderr; and in --json mode, the JSON
        document, unless one was written already). `quiet`: the JSON document only."""
        if self.json_mode and not self._json_written:
            self.emit_json(error.to_dict())
        if quiet:
            return
        from llmprep.language import default_language
        from llmprep.messages import in_language, translator

        lang = self.lang or default_language()
        _ = translator(lang)
        err = self.err
        # soft_wrap: paths and commands stay on one line so they can be copied from a pipe or a log.
        err.print(f"[bold red]{_('console.error')}[/bold red] {_escape(in_language(error.what, lang))}", soft_wrap=True)
        if error.where:
            err.print(f"  [bold]{_('console.where')}[/bold] {_escape(in_language(error.where, lang))}", soft_wrap=True)
        if error.fix:
            err.print(f"  [bold]{_('console.fix')}[/bold] {_escape(in_language(error.fix, lang))}", soft_wrap=True)

    def report_unexplained_exit(self, code: int, what: str | None = None) -> None:
        """In --json mode, a command that failed without writing its document still leaves one."""
        if self.json_mode and not self._json_written:
            self.emit_json(UserError(what or f"the command failed (exit code {code})", exit_code=code).to_dict())

    def write_exactly(self, text: str) -> None:
        """Write `text` to the results stream byte for byte: no wrapping, no markup, no cropping."""
        stream = self._out_stream()
        stream.write(text if text.endswith("\n") or not text else text + "\n")
        stream.flush()

    @property
    def is_terminal(self) -> bool:
        """Whether results go to a terminal (else a pipe or a file)."""
        return self._is_tty()

    def fail(self, what: str, where: str | None = None, fix: str | None = None) -> None:
        """Report a user error and exit with code 2."""
        self.report_user_error(UserError(what, where, fix))
        raise SystemExit(2)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def get_console() -> Console:
    """The console of the command now running (one per invocation)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return Console()
    root = ctx.find_root()
    if not isinstance(root.obj, Console):
        root.obj = Console()
    return root.obj


def lang_option(func):
    """Add `--lang en|zh` to a command; the value passed on is the language to use (the locale's when
    not given), and the console prints its own labels (error, where, fix) in it too."""

    def switch(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
        from llmprep.language import default_language

        lang = value or default_language()
        get_console().lang = lang
        return lang

    return click.option("--lang", type=click.Choice(["en", "zh"]), default=None, is_eager=True, callback=switch,
                        help="Language of the output (default: from the locale).")(func)


def json_option(func):
    """Add `--json` to a command and switch the console to JSON mode when it is given."""

    def switch(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            get_console().json_mode = True
        return value

    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        expose_value=True,
        is_eager=True,
        callback=switch,
        help="Print one JSON document on stdout instead of tables.",
    )(func)
