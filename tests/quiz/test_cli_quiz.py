"""`llmprep quiz` end to end: through click (in-process) and as a real process."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap

from quiz_sample import ATTENTION, make_toy_question, write_bank

from llmprep.quiz.answers import correct_answer_text
from llmprep.quiz.bank import load_bank
from llmprep.quiz.session import choice_order_for, plan_session


def right_answers(bank_dir, count, seed, lang="en", **filters):
    """What to type to get every question of the session right (a short one: an answer, then its rating)."""
    plan = plan_session(load_bank(bank_dir), count=count, seed=seed, **filters)
    lines = []
    for q in plan.questions:
        if q.type == "short" and q.id == "training-why-warmup":
            lines.append("pass")  # no rating line: not graded
        elif q.type == "short":
            lines += [" ".join(group[0] for group in q.accept.en), "3"]
        else:
            lines.append(correct_answer_text(q, choice_order_for(q, seed), lang))
    return plan.questions, lines


def test_a_scripted_session_with_json(run_cli, sample_bank):
    questions, lines = right_answers(sample_bank, 6, 1)
    result = run_cli("quiz", "-n", "6", "--seed", "1", "--json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)  # exactly one document
    assert [q["id"] for q in document["questions"]] == [q.id for q in questions]
    by_id = {q["id"]: q for q in document["questions"]}
    assert by_id["training-why-warmup"]["correct"] is None  # self-graded, no rating given
    assert (by_id["training-adamw"]["rating"], by_id["training-adamw"]["self_graded"]) == (3, True)
    assert all(q["correct"] is True for i, q in by_id.items() if i != "training-why-warmup")
    for entry in document["questions"]:
        assert {"id", "topic", "type", "given", "correct_answer", "correct", "family", "params", "answer"} <= set(entry)
    assert document["totals"] | {"seconds": 0} == {
        "answered": 6, "correct": 5, "wrong": 0, "ungraded": 1, "score": 1.0, "planned": 6, "seconds": 0,
        "by_topic": {t: document["totals"]["by_topic"][t] for t in ("attention", "training")}}
    assert document["totals"]["by_topic"]["training"] == {
        "answered": 3, "correct": 2, "wrong": 0, "ungraded": 1, "score": 1.0}
    assert document["finished"] is True and document["unanswered"] == [] and document["seed"] == 1
    # People text (the panels, the score table) went to stderr.
    assert "score" in result.stderr and "Question 1/6" in result.stderr


def test_the_issue_example_two_lines(run_cli, sample_bank):
    result = run_cli("quiz", "-n", "2", "--seed", "1", "--json", input="2\n0.22\n")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [q["given"] for q in document["questions"]] == ["2", "0.22"]
    # Seed 1 asks the √d_k choice (right: "d", so "2" is wrong) and the AdamW short answer: no line rates it,
    # so it is not graded (a number is no more right than any other text).
    assert [(q["id"], q["correct"]) for q in document["questions"]] == [
        ("attention-why-sqrt-dk", False), ("training-adamw", None)]
    assert document["outlook"]["next_due"] is not None and document["outlook"]["streak_days"] == 1
    assert "schedule" in document and "totals" in document  # the fields of the first version stay


def test_same_seed_same_session_other_seed_other_session(run_cli, sample_bank):
    def ids(seed):
        return [q["id"] for q in json.loads(run_cli("quiz", "-n", "6", "--seed", str(seed), "--json",
                                                    input="x\n" * 6).stdout)["questions"]]

    assert ids(5) == ids(5)
    assert any(ids(seed) != ids(5) for seed in (6, 7, 8))


def test_text_mode_shows_feedback_and_score(run_cli, sample_bank):
    questions, lines = right_answers(sample_bank, 1, 4, types=["choice"])
    result = run_cli("quiz", "-n", "1", "--seed", "4", "--type", "choice", input=lines[0] + "\n")
    assert result.exit_code == 0
    out = result.stdout
    assert "✓ right" in out
    assert "For unit-variance components" in out  # the explanation
    assert "Source: LLM fundamentals and frontiers" in out and "lines 225–231" in out  # the source, by title
    assert "Where the source is wrong" in out and "never says why" in out
    assert "time:" in out


def test_chinese(run_cli, sample_bank, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = run_cli("quiz", "-n", "1", "--seed", "4", "--type", "choice", input="a\n")
    assert "缩放点积注意力为什么要把" in result.stdout
    assert "大语言模型原理基础与前沿发展" in result.stdout and "第 225–231 行" in result.stdout
    english = run_cli("quiz", "-n", "1", "--seed", "4", "--type", "choice", "--lang", "en", input="a\n")
    assert "Why does scaled dot-product" in english.stdout


def test_eof_ends_cleanly_with_the_partial_result(run_cli, sample_bank):
    result = run_cli("quiz", "-n", "4", "--seed", "2", "--json", input="a\n")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert len(document["questions"]) == 1 and len(document["unanswered"]) == 3
    assert document["finished"] is False
    assert "1 of 4 answered" in result.stderr
    empty = run_cli("quiz", "-n", "1", "--seed", "2", "--json", input="")
    assert empty.exit_code == 0 and json.loads(empty.stdout)["questions"] == []


def test_an_unreadable_answer_counts_as_wrong_with_a_note(run_cli, sample_bank):
    result = run_cli("quiz", "--seed", "1", "--type", "numeric", "--json", input="about a third\n")
    entry = json.loads(result.stdout)["questions"][0]
    assert entry["correct"] is False and "not an answer" in entry["note"]


def test_unknown_topic_lists_the_valid_ones(run_cli, sample_bank):
    result = run_cli("quiz", "--topic", "atention")
    assert result.exit_code == 2
    assert "unknown topic 'atention'" in result.stderr and "did you mean 'attention'" in result.stderr
    assert "tokenization-embeddings" in result.stderr and "code-review" in result.stderr
    as_json = run_cli("quiz", "--topic", "atention", "--json")
    assert as_json.exit_code == 2 and "unknown topic" in json.loads(as_json.stdout)["error"]["what"]


def test_n_larger_than_the_matches_uses_all_and_says_so(run_cli, sample_bank):
    result = run_cli("quiz", "--topic", "training", "-n", "50", "--seed", "1", "--json", input="")
    assert result.exit_code == 0
    assert "only 3 question(s) match; asking all 3" in result.stderr
    assert len(json.loads(result.stdout)["unanswered"]) == 3


def test_nothing_matches(run_cli, sample_bank):
    result = run_cli("quiz", "--topic", "training", "--type", "numeric")
    assert result.exit_code == 2
    assert "no question matches --topic training --type numeric" in result.stderr


def test_a_malformed_bank_names_file_and_line(run_cli, sample_bank):
    (sample_bank / "attention.yaml").write_text(ATTENTION.replace("  type: choice\n", "  type: [choice\n", 1))
    result = run_cli("quiz")
    assert result.exit_code == 2
    assert "malformed YAML in" in result.stderr and "attention.yaml:" in result.stderr
    assert "Traceback" not in result.output


def test_without_seed_a_seed_is_chosen_and_printed(run_cli, sample_bank):
    # A filter makes it a drill (a plain seeded pick); without one the schedule chooses (tests/store).
    result = run_cli("quiz", "--topic", "attention", "-n", "1", "--json", input="")
    seed = json.loads(result.stdout)["seed"]
    assert f"--seed {seed}" in result.stderr


def test_generated_questions_end_to_end(run_cli, sample_bank, toy_family):
    first = json.loads(run_cli("quiz", "--generated", "toy-softmax", "-n", "4", "--seed", "3", "--json",
                               input="").stdout)
    ids = first["unanswered"]
    assert len(ids) == 4 and all(i.startswith("gen:toy-softmax:") for i in ids)
    lines = []
    for question_id in ids:
        question = make_toy_question(int(question_id.rsplit(":", 1)[1]))
        lines.append(correct_answer_text(question, choice_order_for(question, 3), "en"))
    result = run_cli("quiz", "--generated", "toy-softmax", "-n", "4", "--seed", "3", "--json",
                     input="\n".join(lines) + "\n")
    document = json.loads(result.stdout)
    assert [q["id"] for q in document["questions"]] == ids
    assert all(q["correct"] is True for q in document["questions"])
    for entry in document["questions"]:
        seed = int(entry["id"].rsplit(":", 1)[1])
        assert entry["family"] == "toy-softmax" and entry["params"] == make_toy_question(seed).params
        assert entry["answer"] == make_toy_question(seed).answer
    assert {q["type"] for q in document["questions"]} <= {"numeric", "multi"}


def test_generated_mixed_with_a_topic(run_cli, sample_bank, toy_family):
    result = run_cli("quiz", "--generated", "all", "--topic", "attention", "-n", "4", "--seed", "3", "--json",
                     input="")
    planned = json.loads(result.stdout)["unanswered"]
    assert sum(i.startswith("gen:") for i in planned) == 2 and len(planned) == 4


def test_unknown_family_is_a_usage_error(run_cli, sample_bank, toy_family):
    result = run_cli("quiz", "--generated", "toy")
    assert result.exit_code == 2 and "toy-softmax" in result.stderr


def test_list_generators(run_cli, toy_family):
    result = run_cli("quiz", "--list-generators", "--json")
    assert result.exit_code == 0
    families = {f["name"]: f for f in json.loads(result.stdout)}
    assert families["toy-softmax"] == {"name": "toy-softmax", "topic": "attention",
                                       "description": {"en": "softmax of two small logits",
                                                       "zh": "两个小 logit 的 softmax"}}
    table = run_cli("quiz", "--list-generators", "--lang", "zh")
    assert "toy-softmax" in table.stdout and "两个小 logit 的 softmax" in table.stdout


def test_help_teaches(run_cli):
    result = run_cli("quiz", "--help")
    assert result.exit_code == 0
    for words in ("--generated", "N // 2 are generated", "not graded", "22.31%", "printf"):
        assert words in result.stdout


DRIVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import llmprep.paths
    bank = Path(sys.argv.pop(1))
    llmprep.paths.questions_dir = lambda: bank
    from llmprep.cli import main
    main()
""")


def test_ctrl_c_in_a_real_process_ends_cleanly_with_the_partial_result(tmp_path):
    bank_dir = write_bank(tmp_path / "questions")
    env = {**os.environ, "LLMPREP_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(bank_dir), "quiz", "-n", "4", "--seed", "2", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        proc.stdin.write("a\n")
        proc.stdin.flush()
        # Wait until the second question is on screen: the process is then blocked reading stdin.
        for line in proc.stderr:
            if "Question 2/4" in line:
                break
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    document = json.loads(out)
    assert len(document["questions"]) == 1 and document["finished"] is False
    assert "Traceback" not in err


def test_a_real_process_reads_answers_from_a_pipe(tmp_path):
    bank_dir = write_bank(tmp_path / "questions")
    env = {**os.environ, "LLMPREP_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(bank_dir), "quiz", "-n", "1", "--seed", "1", "--json"],
                          input="b\n", capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["questions"][0]["given"] == "b"


def test_id_asks_that_one_question_from_the_bank_or_a_family(run_cli, sample_bank, toy_family):
    result = run_cli("quiz", "--id", "attention-dog-weight", "--json", input="1/3\n")
    document = json.loads(result.stdout)
    assert [(q["id"], q["correct"]) for q in document["questions"]] == [("attention-dog-weight", True)]
    assert document["schedule"] == {"mode": "one"} and "within ±0.001" in document["questions"][0]["note"]
    generated = run_cli("quiz", "--id", "gen:toy-softmax:4", "--json", input="0.5\n")
    assert json.loads(generated.stdout)["questions"][0]["id"] == "gen:toy-softmax:4"
    missing = run_cli("quiz", "--id", "attention-dog-weigth")
    assert missing.exit_code == 2 and "did you mean attention-dog-weight" in missing.stderr
    assert run_cli("quiz", "--id", "attention-dog-weight", "--topic", "training").exit_code == 2


def test_the_end_of_a_session_says_what_is_due_next_and_the_streak(run_cli, sample_bank):
    result = run_cli("quiz", "--id", "attention-dog-weight", input="0.9\n")
    assert "✗ wrong" in result.stdout and "next review in" in result.stdout and "streak: 1 day(s)" in result.stdout
    chinese = run_cli("quiz", "--id", "attention-dog-weight", "--lang", "zh", input="1/3\n")
    assert "下次复习：" in chinese.stdout and "已连续学习 1 天" in chinese.stdout


def test_list_generators_keeps_bracketed_text(run_cli, monkeypatch):
    from llmprep.quiz import generators
    from llmprep.quiz.generators import Family

    family = Family(name="toy-brackets", topic="evaluation", generate=make_toy_question,
                    description={"en": "answer: [precision, recall, f1] and [bold]x[/bold]", "zh": "答案：[p, r]"})
    generators.load_families()
    monkeypatch.setitem(generators.FAMILIES, family.name, family)
    result = run_cli("quiz", "--list-generators", "--lang", "en")
    assert "answer: [precision, recall, f1] and [bold]x[/bold]" in result.stdout


def test_a_chinese_session_shows_no_english_interface_text(run_cli, sample_bank):
    from llmprep.messages import catalogue

    # Every kind of moment: a wrong multi, a right numeric, an unreadable line, a self-graded short answer.
    lines = "a\n1/3\nzz\nb\n它把权重衰减解耦\n3\n"
    result = run_cli("quiz", "--seed", "2", "-n", "6", "--lang", "zh", input=lines)
    assert result.exit_code == 0
    shown = result.stdout + result.stderr
    bank = load_bank(sample_bank)
    data = [q.id for q in bank.questions] + [q.topic for q in bank.questions]
    data += [s.ref for q in bank.questions for s in q.sources if s.ref] + ["AdamW", "Adam", "L2", "QKᵀ", "d_k", "logits",
                                                                          "optimizer.step()", "optimizer.zero_grad()",
                                                                          "loss.backward()", "dropout", "softmax",
                                                                          "weight decay"]  # a zh keyword
    for item in sorted(data, key=len, reverse=True):
        shown = shown.replace(item, " ")
    shown = re.sub(r"§ [^,\n]*,", " ", shown)  # a seed document's section heading is data ("Self-Attention")
    english = {text for key, text in catalogue("en").items() if key.startswith(("quiz.", "common."))}
    leaks = [text for text in english if len(text) > 3 and text in shown]
    assert leaks == [], leaks
    assert re.findall(r"[A-Za-z]{4,}", shown) == [], shown
