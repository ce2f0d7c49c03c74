"""`llmprep questions`: list, show, validate."""

from __future__ import annotations

import json

import pytest
import yaml
from quiz_sample import ATTENTION, write_bank


def test_list_json(run_cli, sample_bank):
    result = run_cli("questions", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 6
    first = rows[0]
    assert first == {
        "id": "attention-why-sqrt-dk", "topic": "attention", "type": "choice", "difficulty": "medium",
        "languages": ["en", "zh"],
        "sources": [{"doc": "001_e176a02f6f49a843.txt", "lines": [225, 231]}, {"ref": "Vaswani et al. 2017, §3.2.1"}],
        "has_source_error": True,
    }
    assert [r["has_source_error"] for r in rows].count(True) == 1


def test_list_by_topic_as_a_table(run_cli, sample_bank):
    result = run_cli("questions", "--topic", "training")
    assert result.exit_code == 0
    assert "3 questions" in result.stdout and "training-adamw" in result.stdout
    assert "attention-masks" not in result.stdout
    assert run_cli("questions", "--topic", "nope").exit_code == 2


def test_show_reveals_answer_explanation_sources_and_source_error(run_cli, sample_bank):
    result = run_cli("questions", "show", "attention-why-sqrt-dk", "--lang", "zh")
    assert result.exit_code == 0
    out = result.stdout
    assert "缩放点积注意力" in out
    assert "答案: b) 让 logits 方差保持在 1 附近" in out
    assert "若分量方差为 1" in out  # the explanation
    assert "出处: 大语言模型原理基础与前沿发展" in out and "第 225–231 行" in out
    assert "原文没有解释原因" in out  # the source error


def test_show_json_and_unknown_id(run_cli, sample_bank):
    data = json.loads(run_cli("questions", "show", "training-adamw", "--json").stdout)
    assert data["answer"]["en"].startswith("AdamW decouples") and data["accept"]["zh"][0] == ["解耦", "分离"]
    missing = run_cli("questions", "show", "attention-why-sqrt")
    assert missing.exit_code == 2 and "did you mean attention-why-sqrt-dk" in missing.stderr


def test_show_a_generated_question_again(run_cli, sample_bank, toy_family):
    result = run_cli("questions", "show", "gen:toy-softmax:8", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "gen:toy-softmax:8" and data["family"] == "toy-softmax" and data["type"] == "numeric"


def test_validate_clean(run_cli, sample_bank):
    result = run_cli("questions", "validate", str(sample_bank))
    assert result.exit_code == 0
    assert "6 questions in 2 file(s), no problems" in result.stdout


def test_validate_lists_every_problem_and_exits_1(run_cli, tmp_path):
    broken = (ATTENTION.replace("  answer: 1\n", "  answer: 9\n", 1)
              .replace("  tolerance: {abs: 0.001}", "  tolerance: {abs: 1e-3}"))
    directory = write_bank(tmp_path / "bank", {"attention": broken, "trainng": "[]\n"})
    result = run_cli("questions", "validate", str(directory))
    assert result.exit_code == 1
    out = result.stdout
    assert "attention.yaml:13: attention-why-sqrt-dk: answer: index 9 is out of range" in out
    assert "attention-dog-weight: tolerance.abs:" in out and "1.0e-4" in out
    assert "did you mean training.yaml" in out
    assert "3 problem(s)" in out
    as_json = json.loads(run_cli("questions", "validate", str(directory), "--json").stdout)
    assert as_json["ok"] is False and len(as_json["problems"]) == 3
    assert {"file", "line", "id", "field", "message"} == set(as_json["problems"][0])


def test_validate_in_chinese_reports_its_problems_in_chinese_and_json_in_english(run_cli, tmp_path):
    broken = (ATTENTION.replace("  answer: 1\n", "  answer: 9\n", 1)
              .replace("  tolerance: {abs: 0.001}", "  tolerance: {abs: 1e-3}"))
    directory = write_bank(tmp_path / "bank", {"attention": broken, "trainng": "[]\n"})
    result = run_cli("questions", "validate", str(directory), "--lang", "zh")
    assert result.exit_code == 1
    out = result.stdout
    assert "attention.yaml:13: attention-why-sqrt-dk: answer: 下标 9 超出了" in out
    assert "写 1.0e-4 而不是 1e-4" in out and "是不是想写 training.yaml" in out and "3 个问题" in out
    for english in ("out of range", "did you mean", "YAML read", "problem(s)"):
        assert english not in out, english
    as_json = json.loads(run_cli("questions", "validate", str(directory), "--lang", "zh", "--json").stdout)
    assert "index 9 is out of range for 4 choices (0-3)" in [p["message"] for p in as_json["problems"]]
    unreadable = run_cli("questions", "validate", "/dev/null", "--lang", "zh")
    assert unreadable.exit_code == 2 and "不是普通文件" in unreadable.stderr and "regular" not in unreadable.stderr


def test_validate_one_file(run_cli, tmp_path):
    directory = write_bank(tmp_path / "bank")
    result = run_cli("questions", "validate", str(directory / "training.yaml"), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["questions"] == 3


def test_validate_a_missing_path_is_a_usage_error(run_cli, tmp_path):
    assert run_cli("questions", "validate", str(tmp_path / "nope")).exit_code == 2


def test_piped_list_keeps_every_id_and_source_whole(run_cli, sample_bank, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    result = run_cli("questions")
    assert result.exit_code == 0
    for question_id in ("attention-why-sqrt-dk", "attention-dog-weight", "training-steps-order", "training-why-warmup"):
        assert question_id in result.stdout
    assert "LLM fundamentals 225–231" in result.stdout and "…" not in result.stdout


def test_search_finds_prompts_choices_and_explanations_in_either_language(run_cli, sample_bank):
    def ids(text):
        result = run_cli("questions", "--search", text, "--json")
        assert result.exit_code == 0
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids("SATURATE") == ["attention-why-sqrt-dk"]  # a choice, case-insensitive
    assert ids("饱和") == ["attention-why-sqrt-dk"]  # the same choice in Chinese
    assert ids("三个分数相等") == ["attention-dog-weight"]  # a Chinese explanation
    assert ids("decouples weight decay") == ["training-adamw"]  # a model answer
    assert ids("no such words anywhere") == []
    assert "1 questions" in run_cli("questions", "--search", "adaptive denominator").stdout


def test_show_source_prints_the_cited_passage(run_cli, sample_bank, monkeypatch):
    from llmprep.quiz.citations import seeds_dir

    seeds = seeds_dir()
    if not (seeds / "001_e176a02f6f49a843.txt").is_file():
        pytest.skip(f"needs the source documents at {seeds} (../shared/seeds beside the checkout, or LLMPREP_SEEDS)")
    result = run_cli("questions", "show", "attention-why-sqrt-dk", "--source")
    assert result.exit_code == 0
    lines = (seeds / "001_e176a02f6f49a843.txt").read_text(encoding="utf-8").splitlines()
    assert f"  225  {lines[224]}" in result.stdout and f"  231  {lines[230]}" in result.stdout
    assert " § " in result.stdout  # the section heading of the cited lines
    data = json.loads(run_cli("questions", "show", "attention-why-sqrt-dk", "--source", "--json").stdout)
    assert data["passages"][0]["text"] == lines[224:231]


def test_show_source_without_the_documents_says_where_it_looked(run_cli, sample_bank, monkeypatch, tmp_path):
    monkeypatch.setenv("LLMPREP_SEEDS", str(tmp_path / "nowhere"))
    result = run_cli("questions", "show", "attention-why-sqrt-dk", "--source")
    assert result.exit_code == 0 and "LLMPREP_SEEDS" in result.stderr and str(tmp_path / "nowhere") in result.stderr


def test_a_paper_source_is_cited_by_authors_year_title_and_section(tmp_path, monkeypatch, run_cli):
    bank = write_bank(tmp_path / "bank", {"attention": ATTENTION.replace(
        '    - ref: "Vaswani et al. 2017, §3.2.1"', '    - paper: vaswani2017\n      section: "§3.2.1"', 1)})
    sources = yaml.safe_load((bank / "sources.yaml").read_text(encoding="utf-8"))
    sources.setdefault("papers", {})["vaswani2017"] = {"title": "Attention Is All You Need",
                                                       "authors": "Vaswani et al.", "year": 2017}
    (bank / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr("llmprep.paths.questions_dir", lambda: bank)
    shown = run_cli("questions", "show", "attention-why-sqrt-dk")
    assert shown.exit_code == 0 and "Vaswani et al. 2017, Attention Is All You Need, §3.2.1" in shown.stdout
    (bank / "attention.yaml").write_text(ATTENTION.replace('    - ref: "Vaswani et al. 2017, §3.2.1"',
                                                           "    - paper: vaswani2071", 1), encoding="utf-8")
    result = run_cli("questions", "validate", str(bank))
    assert result.exit_code == 1 and "'vaswani2071' is not under `papers:`" in result.stdout
    assert "did you mean 'vaswani2017'?" in result.stdout and "attention.yaml:20" in result.stdout


def test_the_list_and_validate_speak_chinese(run_cli, sample_bank):
    listed = run_cli("questions", "--topic", "training", "--lang", "zh")
    assert "共 3 道题" in listed.stdout and "题型" in listed.stdout and "简答" in listed.stdout
    assert "questions" not in listed.stdout and "difficulty" not in listed.stdout
    checked = run_cli("questions", "validate", str(sample_bank), "--lang", "zh")
    assert checked.exit_code == 0 and "没有问题" in checked.stdout
