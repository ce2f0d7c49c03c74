"""exercises, start, hint, solution, and how check picks the exercise and the device."""

from __future__ import annotations

import json

import pytest
import torch

from llmprep.errors import UserError
from llmprep.exercises import get_exercise, identify_exercise, load_exercise_folder
from llmprep.paths import exercises_dir


def test_exercises_lists_the_catalog_with_status(run_cli):
    result = run_cli("exercises", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    ids = [r["id"] for r in rows]
    assert ids[:4] == ["softmax", "scaled-dot-product-attention", "multi-head-attention",
                       "sinusoidal-positional-encoding"]
    assert all(r["status"] == "new" for r in rows)
    assert {"title", "topic", "difficulty"} <= set(rows[0])


def test_exercises_topic_filter_and_unknown_topic(run_cli):
    rows = json.loads(run_cli("exercises", "--topic", "positional-encoding", "--json").stdout)
    # every folder on disk, not list_exercises (the command's own catalog), so a dropped folder shows
    expected = {d.name for d in exercises_dir().iterdir() if (d / "exercise.toml").is_file()
                and load_exercise_folder(d).topic == "positional-encoding"}
    assert "sinusoidal-positional-encoding" in expected
    assert {r["id"] for r in rows} == expected
    assert all(r["topic"] == "positional-encoding" for r in rows)
    result = run_cli("exercises", "--topic", "cooking")
    assert result.exit_code == 2 and "attention" in result.stderr


def test_start_writes_the_starter_with_its_header_and_never_overwrites(run_cli, tmp_path):
    result = run_cli("start", "softmax", str(tmp_path), "--lang", "zh")
    assert result.exit_code == 0
    written = (tmp_path / "softmax.py").read_text()
    assert written.startswith("# llmprep: softmax\n") and "NotImplementedError" in written
    assert "数值稳定" in result.stdout and f"llmprep check {tmp_path / 'softmax.py'}" in result.stdout
    (tmp_path / "softmax.py").write_text("# my work\n")
    again = run_cli("start", "softmax", str(tmp_path))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert (tmp_path / "softmax.py").read_text() == "# my work\n"
    assert run_cli("start", "softmax", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "softmax.py").read_text().startswith("# llmprep: softmax")


def test_start_unknown_exercise_lists_ids(run_cli, tmp_path):
    result = run_cli("start", "nope", str(tmp_path))
    assert result.exit_code == 2 and "softmax" in result.stderr


def test_hints_are_progressive(run_cli):
    one = json.loads(run_cli("hint", "softmax", "--json").stdout)
    two = json.loads(run_cli("hint", "softmax", "--level", "2", "--json", "--lang", "zh").stdout)
    assert len(one["hints"]) == 1 and len(two["hints"]) == 2
    assert "下溢" in two["hints"][1]


@pytest.mark.slow  # a check in a worker process
def test_solution_needs_a_recorded_pass_or_force(run_cli, tmp_path):
    refused = run_cli("solution", "softmax")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    forced = json.loads(run_cli("solution", "softmax", "--force", "--json").stdout)
    assert forced["forced"] is True and "def softmax" in forced["reference"]

    source = get_exercise("softmax").path("reference.py").read_text()
    mine = tmp_path / "mine.py"
    mine.write_text("# llmprep: softmax\n" + source)
    assert run_cli("check", str(mine), "--json").exit_code == 0
    statuses = {r["id"]: r["status"] for r in json.loads(run_cli("exercises", "--json").stdout)}
    assert statuses["softmax"] == "passed" and statuses["multi-head-attention"] == "new"
    shown = json.loads(run_cli("solution", "softmax", "--json").stdout)
    assert shown["forced"] is False


def test_identify_by_header_entry_name_or_option(tmp_path):
    by_header = tmp_path / "a.py"
    by_header.write_text("# llmprep: multi-head-attention\nx = 1\n")
    assert identify_exercise(by_header).id == "multi-head-attention"
    by_entry = tmp_path / "b.py"
    by_entry.write_text("def sinusoidal_positional_encoding(max_len, d_model):\n    pass\n")
    assert identify_exercise(by_entry).id == "sinusoidal-positional-encoding"
    assert identify_exercise(by_entry, "softmax").id == "softmax"


@pytest.mark.parametrize(("source", "what"), [
    ("x = 1\n", "defines no exercise's entry"),
    ("def softmax(x, dim=-1): pass\ndef scaled_dot_product_attention(q, k, v): pass\n", "several"),
])
def test_identify_none_or_several_lists_candidates(tmp_path, source, what, run_cli):
    path = tmp_path / "c.py"
    path.write_text(source)
    with pytest.raises(UserError) as error:
        identify_exercise(path)
    assert what in error.value.what and "softmax" in error.value.fix
    result = run_cli("check", str(path))
    assert result.exit_code == 2 and "candidates" in result.stderr


def test_check_missing_file_is_exit_2(run_cli, tmp_path):
    result = run_cli("check", str(tmp_path / "nope.py"))
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_device_cuda_without_cuda_is_exit_2(run_cli, tmp_path):
    path = tmp_path / "s.py"
    path.write_text("# llmprep: softmax\ndef softmax(x, dim=-1):\n    return x\n")
    result = run_cli("check", str(path), "--device", "cuda", "--json")
    assert result.exit_code == 2
    assert "CUDA" in json.loads(result.stdout)["error"]["what"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_reference_passes_on_cuda(run_cli):  # pragma: no cover - no GPU in CI
    path = get_exercise("scaled-dot-product-attention").path("reference.py")
    result = run_cli("check", str(path), "--exercise", "scaled-dot-product-attention", "--device", "cuda", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["device"] == "cuda"


@pytest.mark.slow  # two checks in worker processes
def test_report_in_chinese_names_the_mistake(run_cli, tmp_path):
    path = tmp_path / "attn.py"
    path.write_text("# llmprep: scaled-dot-product-attention\nimport torch\n"
                    "def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):\n"
                    "    s = q @ k.transpose(-2, -1)\n"
                    "    if is_causal:\n"
                    "        s = s.masked_fill(~torch.ones(s.shape[-2:], dtype=torch.bool).tril(), float('-inf'))\n"
                    "    if mask is not None:\n"
                    "        s = s.masked_fill(~mask, float('-inf'))\n"
                    "    return torch.softmax(s, -1) @ v\n")
    result = run_cli("check", str(path), "--lang", "zh")
    assert result.exit_code == 1
    assert "看起来你没有缩放分数" in result.stdout and "诊断" in result.stdout
    document = json.loads(run_cli("check", str(path), "--json").stdout)
    assert [d["id"] for d in document["diagnosis"]] == ["no-scaling"]
