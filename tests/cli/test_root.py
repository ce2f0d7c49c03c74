import re

import click
import pytest

from llmprep import __version__
from llmprep.cli import COMMANDS, cli
from llmprep.console import get_console, json_option
from llmprep.errors import UserError


def test_help_explains_the_three_jobs_and_lists_commands(run_cli):
    result = run_cli("--help")
    assert result.exit_code == 0
    for job in ("llmprep quiz", "llmprep check FILE", "llmprep bench"):
        assert job in result.stdout
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), name


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_every_registered_command_has_help(run_cli):
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_unknown_command_is_a_usage_error(run_cli):
    result = run_cli("no-such-command")
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.stderr and result.stdout == ""


@pytest.fixture
def failing_command():
    """A throwaway command registered for one test that raises a UserError."""

    @click.command()
    @json_option
    def boom(as_json):
        get_console().print("before the error")
        raise UserError("the answer file is empty", where="answers.txt, line 3", fix="write one answer per line")

    cli.add_command(boom, "boom-test")
    yield
    cli.commands.pop("boom-test")


def test_user_error_names_what_where_fix_on_stderr_and_exits_2(run_cli, failing_command):
    result = run_cli("boom-test")
    assert result.exit_code == 2
    assert "the answer file is empty" in result.stderr
    assert "answers.txt, line 3" in result.stderr
    assert "write one answer per line" in result.stderr
    assert "Traceback" not in result.output


def test_user_error_in_json_mode_is_the_one_json_document(run_cli, failing_command):
    import json

    result = run_cli("boom-test", "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)  # exactly one document: json.loads fails on two
    assert document["error"] == {
        "what": "the answer file is empty",
        "where": "answers.txt, line 3",
        "fix": "write one answer per line",
    }
    assert document["exit_code"] == 2
    assert "before the error" in result.stderr


@pytest.mark.parametrize("args", [
    ["exercises", "--json", "--no-such-option"],           # unknown option
    ["hint", "--json"],                                    # missing argument
    ["hint", "softmax", "--level", "zero", "--json"],      # bad value
    ["exercises", "--lang", "fr", "--json"],               # bad choice
    ["no-such-command", "--json"],                         # unknown command
])
def test_usage_errors_with_json_print_one_error_document(run_cli, args):
    import json

    result = run_cli(*args)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert set(document["error"]) == {"what", "where", "fix"} and document["error"]["what"]
    assert document["exit_code"] == 2 and document["error"]["where"].startswith("llmprep")
    assert "Usage:" in result.stderr  # people still get click's usage line


def test_usage_errors_without_json_keep_stdout_empty(run_cli):
    result = run_cli("exercises", "--no-such-option")
    assert result.exit_code == 2 and result.stdout == "" and "No such option" in result.stderr


@pytest.fixture
def interrupted_command():
    """A command that is interrupted (Ctrl-C) half way, and one that exits 3 without a word."""

    @click.command()
    @json_option
    def ctrl_c(as_json):
        raise KeyboardInterrupt

    @click.command()
    @json_option
    def silent(as_json):
        raise SystemExit(3)

    cli.add_command(ctrl_c, "ctrl-c-test")
    cli.add_command(silent, "silent-test")
    yield
    cli.commands.pop("ctrl-c-test")
    cli.commands.pop("silent-test")


def test_ctrl_c_with_json_prints_an_error_document_and_exits_130(run_cli, interrupted_command):
    import json

    result = run_cli("ctrl-c-test", "--json")
    assert result.exit_code == 130
    document = json.loads(result.stdout)
    assert "interrupted" in document["error"]["what"] and document["exit_code"] == 130
    plain = run_cli("ctrl-c-test")
    assert plain.exit_code == 130 and plain.stdout == "" and "interrupted" in plain.stderr


def test_a_failure_without_a_document_still_leaves_one_in_json_mode(run_cli, interrupted_command):
    import json

    result = run_cli("silent-test", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["exit_code"] == 3
