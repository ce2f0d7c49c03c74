"""Every message an exercise writes itself (harness.py's exceptions, spec.py's properties) has a
Chinese form: it is declared in the file's MESSAGES, and `--lang zh` shows the Chinese."""

from __future__ import annotations

import ast
import re

import pytest

from llmprep.exercises import list_exercises
from llmprep.grading.wording import case_error_in_chinese, exercise_forms, forms_from, in_chinese

EXERCISES = list_exercises()
# Strings that are code or data, not prose: tensor and parameter names, commands, patterns.
_PROSE = re.compile(r"[A-Za-z]{2,}[^\n]*\s[A-Za-z]{2,}[^\n]*\s[A-Za-z(]{2,}")


def _prose_outside_messages(source: str) -> list[tuple[int, str]]:
    """String literals of three words or more that are not a docstring, a case, the MESSAGES table or
    on a line marked `# data` (a corpus, a label, a spec's own bug)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        called = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
        is_case = called in ("Case", "_case", "Bench", "Mistake")
        if "MESSAGES" in targets or is_case:
            skip.update(id(inner) for inner in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(inner) for inner in ast.walk(node))
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if _PROSE.search(text) and "# data" not in lines[node.lineno - 1]:
            found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_an_exercise_writes_its_messages_in_messages_with_a_chinese_form(exercise):
    forms = exercise_forms(exercise)  # loads and validates both files' MESSAGES
    for filename in filter(None, (exercise.harness, "spec.py")):
        prose = _prose_outside_messages(exercise.path(filename).read_text(encoding="utf-8"))
        assert not prose, (f"{exercise.id}/{filename} writes English outside MESSAGES (give it a Chinese form "
                           f"there, exercises/FORMAT.md): {prose}")
    for form in forms:
        sample = form.en.format(**{name: "7" for name in form.fields()})
        shown = case_error_in_chinese(f"ValueError: {sample}", "ValueError", None, forms)
        assert shown == "ValueError：" + form.zh.format(**{name: "7" for name in form.fields()}), (form.key, shown)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_say_names_a_declared_message_with_its_fields(exercise):
    """`_say("key", field=...)` in harness.py or spec.py: the key is in that file's MESSAGES and the
    fields are the template's (a typo would raise KeyError only when the submission is wrong)."""
    from llmprep.grading.cases import load_module
    from llmprep.grading.wording import template_fields

    for filename in filter(None, (exercise.harness, "spec.py")):
        messages = getattr(load_module(exercise, filename), "MESSAGES", {})
        for node in ast.walk(ast.parse(exercise.path(filename).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_say":
                key = node.args[0].value
                assert key in messages, f"{exercise.id}/{filename}:{node.lineno}: no message {key!r}"
                given = {keyword.arg for keyword in node.keywords}
                assert given == template_fields(messages[key][0]), f"{exercise.id}/{filename}:{node.lineno}: {key!r}"


def test_a_declaration_that_cannot_be_a_form_is_refused():
    for bad in ({"k": ("x {a}", "没有字段")}, {"k": ("x {a}", "no chinese {a}")}, {"k": "just english"},
                {"k": ("x {a.b}", "中 {a.b}")}):
        with pytest.raises(ValueError):
            forms_from(bad, "spec.py")


def test_a_field_holding_a_message_of_its_own_is_translated_too():
    forms = forms_from({"rank": ("rank {rank}: {error}", "第 {rank} 号进程：{error}"),
                        "zero": ("every scale must be positive", "每个 scale 都必须为正")}, "harness.py")
    assert (in_chinese("RuntimeError: rank 1: ValueError: every scale must be positive", forms)
            == "RuntimeError：第 1 号进程：ValueError：每个 scale 都必须为正")
    assert (in_chinese("RuntimeError: rank 0: ZeroDivisionError: division by zero (line 3)", forms)
            == "RuntimeError（第 3 行）：第 0 号进程：提交的代码抛出 ZeroDivisionError：division by zero")


def test_the_traceback_does_not_repeat_a_harness_message_under_its_module_name():
    """The worker's traceback ends with `llmprep_harness.ScoreMatrixTooLarge: memory: ...`: the report
    shows that message once (in the reader's language), not again in English below it."""
    from llmprep.grading.report import _traceback_without_message

    frames = 'Traceback (most recent call last):\n  File "h.py", line 3, in run\nllmprep_harness.Big: memory: too big'
    assert _traceback_without_message(frames, "Big: memory: too big") == frames.rsplit("\n", 1)[0]


@pytest.mark.parametrize("message", ["wrong gradient: no gradient reached input `x`",
                                     "wrong gradient: no gradient reached parameter `proj.weight`"])
def test_a_gradient_that_never_arrived_reads_in_chinese(message):
    # "wrong gradient: " is turned into Chinese first; what follows it must have a form of its own.
    shown = in_chinese(message)
    assert shown.startswith("梯度错误：没有梯度传到") and "reached" not in shown, shown
