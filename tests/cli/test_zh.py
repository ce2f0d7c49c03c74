"""Every command run with `--lang zh` speaks Chinese: no English interface text in its output.

Data stays as it is (exercise and topic ids, commands to type, code, file paths, numbers), so it is
removed before looking; what is left must not contain an English message of the catalogue or a
common English interface word.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from llmprep.exercises import list_exercises
from llmprep.messages import catalogue
from llmprep.store import open_store

ENGLISH_WORDS = {
    "the", "and", "for", "with", "you", "your", "more", "next", "wrote", "start", "run", "passed", "failed",
    "attempted", "new", "title", "topic", "status", "difficulty", "easy", "medium", "hard", "exercise", "exercises",
    "review", "reviews", "due", "now", "seen", "questions", "accuracy", "none", "nothing", "yet", "total", "level",
    "hint", "hints", "error", "where", "fix", "activity", "days", "best", "results", "device", "backend", "size",
    "median", "peak", "attempts", "passes", "last", "checked", "result", "quiz", "progress", "measured", "answers",
}



def _english_fragments() -> list[str]:
    """The literal parts of every English message that hold a real word (commands excluded)."""
    fragments = set()
    for text in catalogue("en").values():
        for part in re.split(r"\{[^}]*\}", text):
            part = part.strip(" :,.()'`")
            if re.search(r"[A-Za-z]{3,}", part) and "llmprep" not in part and part not in catalogue("zh").values():
                fragments.add(part)
    return sorted(fragments, key=len, reverse=True)


def _strip_data(text: str, data: list[str]) -> str:
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    text = re.sub(r"llmprep[^\u3000-\u9fff\uff00-\uffef\n]*", " ", text)  # a command, up to the Chinese text
    text = re.sub(r"(/[\w.\-]+)+", " ", text)  # paths
    return text


def _data_words() -> list[str]:
    from llmprep.quiz import TOPIC_IDS

    data = list(TOPIC_IDS)
    for exercise in list_exercises():
        data += [exercise.id, exercise.topic, exercise.title_in("zh"), exercise.signature]
        data += [hint.get("zh", "") for hint in exercise.hints]
    return [item for item in data if item]


@pytest.fixture
def some_progress(tmp_path):
    """A store with something in every table, so every table and line of the reports is shown."""
    from llmprep.quiz.schedule import advance_card
    from llmprep.store import ReviewRecord

    now = datetime.now(timezone.utc)
    with open_store() as store:
        store.checks.record_attempt("softmax", True, seed=1, device="cpu", dtype="float32", duration_s=1)
        store.checks.record_attempt("rope", False, seed=1, device="cpu", dtype="float32", duration_s=1,
                                    details={"file": str(tmp_path / "rope.py")})
        store.bench.record_run({"name": "cpu"}, [{"exercise": "softmax", "backend": "torch", "size": {"N": 8},
                                                  "dtype": "float32", "median_ms": 0.5, "pct_peak": 1.0}])
        store.reviews.record(ReviewRecord("attention-divide-by-sqrt-dk", "attention-divide-by-sqrt-dk", "attention",
                                          now - timedelta(days=20), 1, False), advance_card)
        store.reviews.record(ReviewRecord("gen:flops", "gen:flops:1", "efficiency-deployment",
                                          now - timedelta(minutes=1), 4, True), advance_card)
    return tmp_path


COMMANDS = {
    "exercises": ["exercises"],
    "hint": ["hint", "rope", "--level", "1"],
    "start": ["start", "softmax", "{tmp}/work"],
    "start-exists": ["start", "softmax", "{tmp}/work"],
    "solution-refused": ["solution", "rope"],
    "solution": ["solution", "softmax"],
    "next": ["next"],
    "progress": ["progress"],
    "progress-export": ["progress", "export", "{tmp}/out.json"],
    "progress-import": ["progress", "import", "{tmp}/out.json"],
    "progress-reset-declined": ["progress", "reset"],
    "bench": ["bench", "--exercise", "softmax", "--size", "1", "--budget", "0.05", "--backend", "reference",
              "--backend", "torch", "--device", "cpu"],
}


@pytest.mark.slow  # 4.6 s measured
def test_every_command_in_chinese_has_no_english_interface_text(run_cli, some_progress):
    fragments = _english_fragments()
    data = _data_words()
    reference = list_exercises()[0].path("reference.py").read_text(encoding="utf-8")
    for name, args in COMMANDS.items():
        args = [arg.replace("{tmp}", str(some_progress)) for arg in args] + ["--lang", "zh"]
        result = run_cli(*args, input="n\n")
        assert result.exit_code in (0, 2), (name, result.output)
        shown = result.stdout + result.stderr
        if name == "start":
            # The task itself (README) is content, checked by the content tests; the interface is what follows.
            shown = shown[shown.index("已写入"):]
        if name == "solution":
            shown = shown.replace(reference, "")
        if name == "bench":
            # Sizes (rows=1024), units and the STREAM kernel's name are data.
            shown = re.sub(r"\b\w+=\d+\b", " ", shown)
            for word in ("triad", "GHz", "MHz", "KiB", "MiB", "GiB"):  # MHz: a clock read from /proc/cpuinfo
                shown = shown.replace(word, " ")
        english = _english_in(shown, data, fragments)
        assert not english, f"`llmprep {' '.join(args)}` shows English: {english}\n{shown}"


def _english_in(shown: str, data: list[str], fragments: list[str]) -> list[str]:
    """English catalogue fragments, else English interface words, left in `shown` once data is removed."""
    left = _strip_data(shown, data)
    found = [fragment for fragment in fragments if fragment in left]
    return found or sorted({word for word in re.findall(r"[A-Za-z]+", left) if word.lower() in ENGLISH_WORDS})


TINY_BANK = """\
- id: attention-q1
  topic: attention
  type: numeric
  difficulty: easy
  prompt: {en: "What is 1?", zh: "1 是多少？"}
  answer: 1
  tolerance: {abs: 0.1}
  explanation: {en: It is 1., zh: 就是 1。}
  sources: [{ref: "test"}]
- id: attention-q2
  topic: attention
  type: choice
  difficulty: medium
  prompt: {en: "Pick b", zh: "选乙"}
  choices: [{en: "a", zh: "甲"}, {en: "b", zh: "乙"}, {en: "c", zh: "丙"}]
  answer: 1
  explanation: {en: It is b., zh: 是乙。}
  sources: [{ref: "test"}]
"""


def test_a_quiz_in_chinese_has_no_english_interface_text(run_cli, tmp_path, monkeypatch):
    from pathlib import Path

    bank = tmp_path / "bank"
    bank.mkdir()
    repo = Path(__file__).resolve().parents[2]
    (bank / "sources.yaml").write_text((repo / "questions" / "sources.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (bank / "attention.yaml").write_text(TINY_BANK, encoding="utf-8")
    monkeypatch.setattr("llmprep.paths.questions_dir", lambda: bank)
    fragments = _english_fragments()
    # Wrong and unreadable answers (the re-prompts and notes), then right ones; the data here is "test" only.
    for answers in ("5\nz\n", "c\n1\n", "乙\n1.05\n"):
        result = run_cli("quiz", "-n", "2", "--seed", "1", "--lang", "zh", input=answers)
        assert result.exit_code == 0, result.output
        english = _english_in(result.stdout + result.stderr, ["test"], fragments)
        assert not english, f"`llmprep quiz --lang zh` shows English: {english}\n{result.output}"
        # Durations too: "用时: 0 秒", "1 分钟后", not the English units "0s", "1m".
        assert not re.search(r"\d+[hms](?![A-Za-z])", result.stdout), result.stdout
        assert "秒" in result.stdout and "分钟后" in result.stdout, result.stdout


# Mistakes a new user makes; the UserError is raised where the language is not known, and the console
# prints it in the reader's language (the --json document keeps English).
MISTAKES = {
    "quiz-unknown-id": ["quiz", "--id", "attention-divide-by-sqrt"],
    "quiz-unknown-generated": ["quiz", "--id", "gen:nope:1"],
    "quiz-unknown-topic": ["quiz", "--topic", "atention"],
    "quiz-id-with-a-filter": ["quiz", "--id", "attention-why-sqrt-dk", "--topic", "attention"],
    "quiz-nothing-matches": ["quiz", "--topic", "serving", "--type", "order", "--difficulty", "hard"],
    "quiz-unknown-family": ["quiz", "--generated", "nope"],
    "import-missing": ["progress", "import", "{tmp}/missing.json"],
    "import-not-an-export": ["progress", "import", "{tmp}/other.json"],
    "export-unwritable": ["progress", "export", "{tmp}/no/such/dir/out.json"],
    # The other bench mistakes import torch or measure the device first (seconds): their messages are in
    # the same catalogue file, checked by tests/test_messages.py.
    "bench-submission-without-file": ["bench", "--backend", "submission"],
}


def test_mistakes_are_explained_in_chinese(run_cli, tmp_path):
    (tmp_path / "other.json").write_text('{"x": 1}', encoding="utf-8")
    fragments = _english_fragments()
    from llmprep.quiz.generators import load_families

    data = _data_words() + list(load_families()) + ["attention-divide-by-sqrt", "gen:nope:1", "gen:<family>:<seed>",
                                                    "atention", "--topic", "--type", "--difficulty", "--generated", "--due",
                                                    "--list-generators", "--id", "attention-why-sqrt-dk", "order",
                                                    "serving", "hard", "nope", "all", "TEXT", "ID", "No such file or directory",
                                                    "--backend", "submission", "FILE"]
    for name, args in MISTAKES.items():
        args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
        result = run_cli(*args, "--lang", "zh")
        assert result.exit_code == 2, (name, result.output)
        assert "错误" in result.stderr, (name, result.stderr)
        english = _english_in(result.stderr, data, fragments)
        assert not english, f"`llmprep {' '.join(args)} --lang zh` shows English: {english}\n{result.stderr}"
        as_json = run_cli(*args, "--lang", "zh", "--json")
        assert as_json.exit_code == 2 and '"what"' in as_json.stdout


def test_a_damaged_or_foreign_database_is_explained_in_chinese(run_cli, llmprep_home):
    import sqlite3

    llmprep_home.mkdir(parents=True, exist_ok=True)
    store_file = llmprep_home / "llmprep.sqlite3"
    fragments = _english_fragments()
    store_file.write_bytes(b"not a database at all\n" * 10)
    damaged = run_cli("next", "--lang", "zh")
    assert damaged.exit_code == 2 and "已损坏" in damaged.stderr, damaged.output
    store_file.unlink()
    with sqlite3.connect(store_file) as foreign:
        foreign.execute("CREATE TABLE other (x)")
    refused = run_cli("next", "--lang", "zh")
    assert refused.exit_code == 2 and "不是 llmprep 的进度数据库" in refused.stderr, refused.output
    for result in (damaged, refused):
        english = _english_in(result.stderr, ["LLMPREP_HOME", "SQLite", "file is not a database"], fragments)
        assert not english, f"shows English: {english}\n{result.stderr}"


def _int8_zero_scale(w, dim=0):
    """An int8 quantizer with no guard for an all-zero channel: scale 0 there."""
    import torch

    others = [d for d in range(w.dim()) if d != dim % w.dim()]
    scale = (w.abs().amax(dim=others, keepdim=True) if others else w.abs()) / 127
    q = torch.round(w / scale).nan_to_num(0).clamp(-127, 127).to(torch.int8)
    return q, scale


def _softmax_doubled(x, dim=-1):
    """A mistake no mistakes.py lists: twice the softmax (a constant ratio)."""
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return 2 * e / e.sum(dim=dim, keepdim=True)


def _naive_flash_attention(q, k, v, is_causal=False, block_size=16):
    """FlashAttention that builds the whole L × S score matrix (the harness's memory probe refuses it)."""
    import math

    import torch

    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if is_causal:
        L, S = q.size(-2), k.size(-2)
        scores = scores.masked_fill(torch.ones(L, S, dtype=torch.bool).triu(S - L + 1), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def _report_text(report) -> str:
    import io

    from rich.console import Console

    from llmprep.grading.report import render_report

    console = Console(record=True, width=400, color_system=None, file=io.StringIO())
    for renderable in render_report(report, "zh"):
        console.print(renderable)
    return console.export_text()


def _report_data(report) -> list[str]:
    """What a check report shows that is data: case names, inputs, ids, the file."""
    data = _data_words() + [str(report.submission), report.submission.name, "NaN", "inf", "dtype", "float32", "cpu",
                            "--level", "block_size"]  # a parameter's name
    for case in report.cases:
        data += [case.name, case.shapes, case.error_type or ""]
    return [item for item in data + [d.id for d in report.diagnosis] + [f.id for f in report.findings] if item]


@pytest.mark.slow  # 3.4 s measured
def test_check_reports_in_chinese_in_process(tmp_path):
    """A pass, a harness probe (int8's zero scale), a listed mistake and an unseen one, all in Chinese."""
    import sys

    from llmprep.exercises import get_exercise
    from llmprep.grading.cases import load_mistakes, reference_entry
    from llmprep.grading.trusted import grade_in_process

    module = sys.modules[__name__]
    _int8_zero_scale.__module__ = module.__name__
    module.dequantize_int8 = lambda q, scale: q.to(scale.dtype) * scale  # the harness looks it up beside the entry
    softmax = get_exercise("softmax")
    listed = load_mistakes(softmax)[0]
    runs = {"correct": (softmax, reference_entry(softmax)), "probe": (get_exercise("int8-quantization"), _int8_zero_scale),
            "memory": (get_exercise("flash-attention"), _naive_flash_attention),
            "listed": (softmax, listed.implementation), "unseen": (softmax, _softmax_doubled)}
    fragments = _english_fragments()
    for name, (exercise, implementation) in runs.items():
        report = grade_in_process(tmp_path / f"{name}.py", exercise, implementation, lang="zh")
        assert report.passed == (name == "correct"), name
        shown = _report_text(report)
        english = _english_in(shown, _report_data(report), fragments)
        assert not english, f"{name}: the report shows English: {english}\n{shown}"
        expected = {"correct": "通过", "probe": "每个 scale 都必须为正", "memory": "FlashAttention 的要点",
                    "listed": listed.zh[:8], "unseen": "分析结果"}
        assert expected[name] in shown, (name, shown)


SUBMISSIONS = {
    "syntax": "import torch\ndef softmax(x, dim=-1)\n    return x\n",
    "raises": "import torch\ndef softmax(x, dim=-1):\n    return x @ torch.ones(3, 2, dtype=x.dtype)\n",
}


@pytest.mark.slow  # two worker runs, about 7 s
def test_check_in_chinese_frames_the_submissions_own_errors(run_cli, tmp_path):
    fragments = _english_fragments()
    for name, source in SUBMISSIONS.items():
        file = tmp_path / f"{name}.py"
        file.write_text(source, encoding="utf-8")
        result = run_cli("check", str(file), "--exercise", "softmax", "--lang", "zh")
        assert result.exit_code == 1, result.output
        shown = result.stdout + result.stderr
        # Python's and torch's own words are the submission's data, shown after a Chinese frame.
        assert "提交的代码抛出" in shown, shown
        shown = re.sub(r"(提交的代码抛出 \w+(（第 \d+ 行）)?：)[^\n）]*", r"\1", shown)
        table = [cell for row in re.findall(r"^│\s*(.+?)\s*│\s*(.+?)\s*│", shown, re.M) for cell in row]
        data = _data_words() + table + [str(file), file.name, "--level", "SyntaxError", "RuntimeError",
                                        "def softmax(x, dim=-1)", "return x @ torch.ones(3, 2, dtype=x.dtype)"]
        english = _english_in(shown, data, fragments)
        assert not english, f"`llmprep check {name}.py --lang zh` shows English: {english}\n{shown}"


def test_the_question_bank_listing_and_a_question_in_chinese(run_cli, monkeypatch):
    """`questions` and `questions show`: the headings are Chinese; the sources cited are data."""
    monkeypatch.setenv("COLUMNS", "400")  # a citation wrapped inside the panel would no longer read as one
    from llmprep.quiz.bank import load_bank
    from llmprep.quiz.citations import describe_source, short_source

    bank = load_bank()
    chosen = [q for q in bank.questions if q.topic == "attention"]
    data = _data_words() + [q.id for q in chosen]
    for q in chosen:
        data += [short_source(s, bank) for s in q.sources] + [describe_source(s, bank, "zh") for s in q.sources]
    fragments = _english_fragments()
    for args in (["questions", "--topic", "attention"], ["questions", "show", "attention-why-sqrt-dk"]):
        result = run_cli(*args, "--lang", "zh")
        assert result.exit_code == 0, result.output
        english = _english_in(result.stdout + result.stderr, data, fragments)
        assert not english, f"`llmprep {' '.join(args)} --lang zh` shows English: {english}\n{result.output}"


@pytest.mark.slow  # doctor probes torch, onnxruntime and the exporter once per test process: about 10 s
def test_doctor_in_chinese(run_cli, monkeypatch, probed_once):
    """The labels, details and verdict are Chinese; what the probes found (versions, paths, provider and
    isolation layer names) is data."""
    import llmprep.doctor

    seen = {}
    probe = llmprep.doctor.collect_report

    def collect_report():
        seen.update(probe())
        return seen

    monkeypatch.setattr(llmprep.doctor, "collect_report", collect_report)
    monkeypatch.setenv("COLUMNS", "400")  # a layer name wrapped inside the table would no longer read as one
    with probed_once():
        result = run_cli("doctor", "--lang", "zh")
    shown = result.stdout + result.stderr
    assert result.exit_code == (0 if seen["ok"] else 1), shown
    data = ["llmprep doctor", "python", "torch", "numpy", "onnxruntime", "onnx", "GPU", "CUDA", "TensorRT",
            *(str(seen[name].get("version")) for name in ("python", "torch", "numpy", "onnx", "onnxruntime")),
            seen["python"]["executable"], *map(str, seen["platform"].values()), seen["onnxruntime"].get("package", ""),
            *(p["name"] for p in seen["onnxruntime"].get("providers", [])), seen["onnx_export"].get("exporter", ""),
            str(seen["sandbox"].get("level")), *(seen["sandbox"].get("enforced") or []),
            *(seen["sandbox"].get("not_enforced") or []), seen["data_dir"]["path"]]
    english = _english_in(shown, [item for item in data if item], _english_fragments())
    assert not english, f"`llmprep doctor --lang zh` shows English: {english}\n{shown}"
    assert "可以在" in shown or "尚未就绪" in shown, shown
