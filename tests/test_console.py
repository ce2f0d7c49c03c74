import io
import json

import pytest

from llmprep.console import Console


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def _print_coloured(monkeypatch, stream):
    monkeypatch.setattr("sys.stdout", stream)
    Console().print("[red]hello[/red]")
    return stream.getvalue()


def test_colour_on_a_terminal(monkeypatch):
    assert "\x1b[" in _print_coloured(monkeypatch, FakeTTY())


def test_no_colour_when_not_a_terminal(monkeypatch):
    out = _print_coloured(monkeypatch, io.StringIO())
    assert out == "hello\n"


def test_no_colour_when_NO_COLOR_is_set(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = _print_coloured(monkeypatch, FakeTTY())
    assert "\x1b[" not in out and "hello" in out


def test_json_mode_sends_people_text_to_stderr_and_one_document_to_stdout(monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    console = Console(json_mode=True)
    console.print("a table for people")
    console.emit_json({"ok": True, "名": "注意力"})
    assert json.loads(out.getvalue()) == {"ok": True, "名": "注意力"}
    assert "a table for people" in err.getvalue()
    with pytest.raises(RuntimeError):
        console.emit_json({"second": 1})


def test_fail_exits_with_code_2(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    with pytest.raises(SystemExit) as exit_info:
        Console().fail("no such topic 'atention'", where="--topic", fix="choose one of: attention, ...")
    assert exit_info.value.code == 2
    assert "no such topic" in err.getvalue() and "--topic" in err.getvalue()


def test_a_table_is_never_clipped_on_a_narrow_terminal(monkeypatch):
    from rich.table import Table

    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    monkeypatch.setenv("COLUMNS", "30")
    table = Table()
    for name in ("size", "backend", "median ms", "GFLOP/s"):
        table.add_column(name, no_wrap=True)
    table.add_row("1024x1024", "reference", "3.8791", "1234.5")
    Console().print_unclipped(table)
    out = stream.getvalue()
    assert "1024x1024" in out and "3.8791" in out and "1234.5" in out and "…" not in out


def test_paths_in_user_errors_are_not_broken_across_lines(monkeypatch):
    from llmprep.errors import UserError

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setenv("COLUMNS", "40")
    where = "/tmp/" + "a-long-directory-name/" * 5 + "llmprep.sqlite3"
    Console().report_user_error(UserError("damaged", where=where, fix="move it aside"))
    assert where in stream.getvalue()


def _wrapping_table():
    from rich.table import Table

    table = Table()
    table.add_column("id", no_wrap=True)
    table.add_column("title")  # may wrap, between words only
    table.add_row("tensor-parallel-linear", "Column and row parallel linear layers with torch.distributed")
    return table


def test_a_table_into_a_pipe_is_printed_whole_at_its_natural_width(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    monkeypatch.setenv("COLUMNS", "40")
    Console().print_unclipped(_wrapping_table())
    assert "Column and row parallel linear layers with torch.distributed" in stream.getvalue()


def test_a_table_on_a_narrow_terminal_wraps_between_words_never_inside_one(monkeypatch):
    stream = FakeTTY()
    monkeypatch.setattr("sys.stdout", stream)
    monkeypatch.setenv("NO_COLOR", "1")  # no escape codes to strip; still a terminal
    monkeypatch.setenv("COLUMNS", "40")
    Console().print_unclipped(_wrapping_table())
    out = stream.getvalue()
    assert "torch.distributed" in out and "tensor-parallel-linear" in out
    assert "Column and row parallel linear layers with torch.distributed" not in out  # it did wrap


def test_write_exactly_keeps_every_character_and_line(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    text = "x = [1, 2]  # [bold]not markup[/bold] " + "y" * 300 + "\n\tindented\n"
    Console().write_exactly(text)
    assert stream.getvalue() == text


def test_error_labels_follow_the_console_language(monkeypatch):
    from llmprep.errors import UserError

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    Console(lang="zh").report_user_error(UserError("坏了", where="某处", fix="修好它"))
    assert "错误：" in stream.getvalue() and "位置：" in stream.getvalue() and "error:" not in stream.getvalue()
