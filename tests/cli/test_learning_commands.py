"""exercises, start, hint, solution and next: output that survives pipes, no writes through links,
and read-only commands on a read-only data folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from llmprep.exercises import get_exercise, list_exercises
from llmprep.store import open_store


def test_solution_into_a_file_is_the_reference_line_for_line(run_cli):
    with open_store() as store:
        store.checks.record_attempt("scaled-dot-product-attention", True, seed=1, device="cpu", dtype="float32",
                                    duration_s=1.0)
    result = run_cli("solution", "scaled-dot-product-attention")  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0
    reference = get_exercise("scaled-dot-product-attention").path("reference.py").read_text(encoding="utf-8")
    assert result.stdout == reference
    assert max(len(line) for line in reference.splitlines()) > 0


def test_exercises_in_a_pipe_never_break_a_word_or_an_id(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")  # far narrower than the table
    for lang in ("en", "zh"):
        result = run_cli("exercises", "--lang", lang)
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        for exercise in list_exercises():
            row = [line for line in lines if line.startswith(f"│ {exercise.id} ")]
            assert len(row) == 1, exercise.id  # the id, whole, on one line
            assert exercise.title_in(lang) in row[0]  # and the title whole beside it


def test_start_refuses_to_write_through_a_symlink(run_cli, tmp_path):
    outside = tmp_path / "outside.txt"
    work = tmp_path / "work"
    work.mkdir()
    (work / "softmax.py").symlink_to(outside)  # dangling: writing would create `outside`
    for args in ([], ["--force"]):
        result = run_cli("start", "softmax", str(work), *args)
        assert result.exit_code == 2 and "symbolic link" in result.stderr
        assert not outside.exists()
    (work / "softmax.py").unlink()
    assert run_cli("start", "softmax", str(work)).exit_code == 0
    assert (work / "softmax.py").read_text(encoding="utf-8").startswith("# llmprep: softmax\n")
    again = run_cli("start", "softmax", str(work), "--force")
    assert again.exit_code == 0 and not (work / "softmax.py").is_symlink()
    assert sorted(p.name for p in work.iterdir()) == ["softmax.py"]  # no temporary file left behind


def test_hint_in_chinese_keeps_the_language_in_the_next_command(run_cli):
    result = run_cli("hint", "rope", "--lang", "zh")
    assert result.exit_code == 0
    assert "llmprep hint rope --level 2 --lang zh" in result.stdout and "More" not in result.stdout


@pytest.mark.slow  # 6.7 s measured
def test_next_says_reviews_first_then_the_next_exercise_with_overall_progress(run_cli):
    from datetime import datetime, timedelta, timezone

    from llmprep.quiz.bank import load_bank
    from llmprep.quiz.schedule import advance_card
    from llmprep.store import ReviewRecord

    catalog = list_exercises()
    bank = load_bank()
    fresh = json.loads(run_cli("next", "--json").stdout)
    assert fresh["overall"] == {"exercises_passed": 0, "exercises": len(catalog), "questions_seen": 0,
                                "questions": len(bank.questions)}
    assert fresh["exercise"]["id"] == catalog[0].id and fresh["exercise"]["command"] == f"llmprep start {catalog[0].id}"
    assert fresh["reviews"]["due_now"] == 0

    question = bank.questions[0]
    with open_store() as store:
        store.checks.record_attempt(catalog[0].id, True, seed=1, device="cpu", dtype="float32", duration_s=1)
        store.checks.record_attempt(catalog[1].id, False, seed=1, device="cpu", dtype="float32", duration_s=1,
                                    details={"file": "/work/my attempt.py"})
        store.reviews.record(ReviewRecord(question.id, question.id, question.topic,
                                          datetime.now(timezone.utc) - timedelta(days=30), 1, False), advance_card)
    later = json.loads(run_cli("next", "--json").stdout)
    assert later["overall"]["exercises_passed"] == 1 and later["overall"]["questions_seen"] == 1
    assert later["reviews"]["due_now"] == 1
    assert later["exercise"] == {"id": catalog[1].id, "title": catalog[1].title_in("en"), "status": "attempted",
                                 "command": "llmprep check '/work/my attempt.py'"}
    assert later["commands"] == ["llmprep quiz --due", "llmprep check '/work/my attempt.py'"]
    text = run_cli("next").stdout
    assert f"1/{len(catalog)} exercises passed, 1/{len(bank.questions)} questions seen" in text
    assert text.index("llmprep quiz --due") < text.index("llmprep check '/work/my attempt.py'")


READ_ONLY_DRIVER = textwrap.dedent("""
    import sys
    from llmprep.cli import main
    sys.argv = ["llmprep", *sys.argv[1:]]
    main()
""")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None or sys.platform != "linux", reason="needs util-linux unshare")
def test_read_only_commands_work_on_a_read_only_data_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "LLMPREP_HOME": str(home), "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", READ_ONLY_DRIVER, "progress"], env=env, check=True, capture_output=True)
    with open_store(home / "llmprep.sqlite3") as store:
        store.checks.record_attempt("softmax", True, seed=1, device="cpu", dtype="float32", duration_s=1)
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unprivileged mount namespaces are not allowed here: {probe.stderr.decode().strip()}")
    commands = [["exercises", "--json"], ["progress", "--json"], ["next", "--json"], ["solution", "softmax", "--json"],
                ["hint", "softmax", "--json"], ["progress", "export", str(tmp_path / "out.json"), "--json"]]
    script = f"mount --bind {home} {home} && mount -o remount,ro,bind {home} {home} && touch {home}/x 2>/dev/null " \
             "&& echo WRITABLE; " + "; ".join(
                 f"{sys.executable} -c '{READ_ONLY_DRIVER}' {' '.join(args)} > {tmp_path}/{i}.out 2> {tmp_path}/{i}.err;"
                 f" echo $? >> {tmp_path}/codes" for i, args in enumerate(commands))
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert "WRITABLE" not in done.stdout, "the bind mount did not make the folder read-only"
    codes = (tmp_path / "codes").read_text().split()
    for i, args in enumerate(commands):
        err = (tmp_path / f"{i}.err").read_text()
        assert codes[i] == "0", (args, err)
        assert "Traceback" not in err
        json.loads((tmp_path / f"{i}.out").read_text())
    assert json.loads((tmp_path / "0.out").read_text())[0]["status"] == "passed"  # read from the read-only store
    assert json.loads((tmp_path / "5.out").read_text())["exported"]["check_attempts"] == 1


def test_the_first_command_ever_creates_the_data_folder_and_records_what_it_should(run_cli, llmprep_home):
    assert not llmprep_home.exists()
    result = run_cli("solution", "softmax", "--force")
    assert result.exit_code == 0 and "not recorded" not in result.stderr
    with open_store() as store:
        assert [view["forced"] for view in store.checks.solution_views()] == [1]
