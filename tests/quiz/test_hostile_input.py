"""Bank files and quiz answers that try to hang, exhaust or crash llmprep: each is a clear error.

`questions validate` must answer within 2 s on any file under 1 MiB; the bound is checked by
counting the work (no alias is ever expanded), not by a clock.
"""

from __future__ import annotations

import json
import os
import threading

import pytest
from quiz_sample import ATTENTION, write_bank

from llmprep.quiz.bank import read_bank
from llmprep.quiz.yaml_reading import MAX_BYTES, read_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
RECURSIVE = ATTENTION.replace("  answer: 1\n", "  answer: &r [1, *r]\n", 1)
HUGE_INTEGER = ATTENTION.replace("  answer: 1\n", "  answer: " + "9" * 100_000 + "\n", 1)
DEEP = "- " + "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.mark.parametrize(("text", "line", "words"), [
    (BILLION_LAUGHS, 2, "alias (*a)"),
    (RECURSIVE, 13, "alias (*r)"),
    (HUGE_INTEGER, 13, "100,000 characters"),
    (DEEP, 1, "nest"),  # libyaml's own limit (1000 flow levels) or ours (64), whichever comes first
], ids=["billion-laughs", "recursive-alias", "100000-digits", "deep-nesting"])
def test_hostile_yaml_is_one_clear_problem_with_its_line(tmp_path, run_cli, text, line, words):
    bank = write_bank(tmp_path / "bank", {"attention": text})
    _, problems = read_bank(bank)
    (problem,) = problems
    assert words in problem.message and problem.line == line and problem.field == "yaml"
    result = run_cli("questions", "validate", str(bank / "attention.yaml"), "--json")
    assert result.exit_code == 2
    assert words in json.loads(result.stdout)["problems"][0]["message"]


def test_a_file_over_one_mebibyte_is_refused_unread(tmp_path, run_cli):
    bank = write_bank(tmp_path / "bank", {"attention": ATTENTION + "#" * MAX_BYTES})
    result = run_cli("questions", "validate", str(bank / "attention.yaml"))
    assert result.exit_code == 2 and "1 MiB" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, run_cli):
    bank = write_bank(tmp_path / "bank", {})
    os.mkfifo(bank / "attention.yaml")
    done = threading.Event()
    outcome = {}

    def validate():
        outcome["result"] = run_cli("questions", "validate", str(bank))
        done.set()

    threading.Thread(target=validate, daemon=True).start()
    if not done.wait(30):  # a hang; unblock the reader so the thread ends, then fail
        with open(bank / "attention.yaml", "w"):
            pass
        pytest.fail("validate waited on a FIFO")
    assert outcome["result"].exit_code == 2 and "not a regular file" in outcome["result"].stdout
    data, node, found = read_yaml(bank / "attention.yaml")
    assert data is None and found[0][1] == "file"


def test_every_question_of_a_valid_file_still_loads(tmp_path):
    bank, problems = read_bank(write_bank(tmp_path / "bank"))
    assert problems == [] and len(bank.questions) == 6


@pytest.mark.parametrize("line", [b"\xff", b"3.15x10^999999", b"1e999999", b"9" * 5000, b"1/0"])
def test_a_piped_answer_that_cannot_be_read_counts_wrong_with_a_note(run_cli, sample_bank, line):
    from click.testing import CliRunner

    from llmprep.cli import cli

    result = CliRunner().invoke(cli, ["quiz", "--id", "attention-dog-weight", "--json"], input=line + b"\n")
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["questions"]
    assert entry["correct"] is False and "counted as wrong" in entry["note"]


def test_a_huge_count_is_capped_before_anything_is_generated(run_cli, sample_bank, toy_family):
    result = run_cli("quiz", "--generated", "all", "-n", "1000000", "--seed", "3", "--json", input="")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert len(document["unanswered"]) == 100 and "asking 100" in result.stderr
    bank_only = run_cli("quiz", "--topic", "attention", "-n", "1000000", "--seed", "3", "--json", input="")
    assert len(json.loads(bank_only.stdout)["unanswered"]) == 3 and "only 3 question(s) match" in bank_only.stderr
