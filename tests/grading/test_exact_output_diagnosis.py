"""Outputs compared exactly (bool masks, integer ids) are diagnosed like float outputs."""

from __future__ import annotations

import textwrap

from llmprep.exercises import Tolerance, load_exercise_folder
from llmprep.grading.cases import load_mistakes
from llmprep.grading.check import check_trusted_implementation
from llmprep.grading.compare import Errors, Expectation, compare_tensors


def _write(folder, name, text):
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_wrong_bool_output_is_a_wrong_value_with_a_count():
    import torch

    ref = {"kind": "tensor", "tensor": torch.tensor([True, False, False])}
    got = {"kind": "tensor", "tensor": torch.tensor([True, True, True]), "dtype": "bool", "device": "cpu"}
    mismatch = compare_tensors(ref, got, Tolerance(0, 0), Expectation("float32", "cpu"), Errors())
    assert mismatch.message == "wrong values: 2 of 3 elements of output differ, the first at [1]"
    assert mismatch.detail["expected"] is False and mismatch.detail["got"] is True


def test_a_mistake_with_a_bool_output_is_named(tmp_path):
    folder = tmp_path / "exact-output-diagnosis-probe"
    folder.mkdir()
    _write(folder, "exercise.toml", """\
        format_version = 1
        id = "exact-output-diagnosis-probe"
        entry = "positive"
        signature = "positive(x)"
        topic = "attention"
        difficulty = "easy"
        differentiable = false
        [title]
        en = "probe"
        zh = "探针"
        """)
    _write(folder, "reference.py", "def positive(x):\n    return x > 0\n")
    _write(folder, "mistakes.py", """\
        from llmprep.exercise_api import Mistake

        def non_negative(x):
            return x >= 0

        def negative(x):
            return x < 0

        MISTAKES = [Mistake("non-negative", non_negative, en="you used >=", zh="你用了 >="),
                    Mistake("negative", negative, en="you flipped the sign", zh="你把符号弄反了")]
        """)
    _write(folder, "spec.py", """\
        import torch
        from llmprep.exercise_api import Case

        def fixed_cases():
            return [Case("with-zero", (torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64),))]

        def random_cases(gen, count):
            return [Case(f"random-{i}", (torch.randn(4, generator=gen, dtype=torch.float64),)) for i in range(count)]
        """)
    exercise = load_exercise_folder(folder)
    for mistake in load_mistakes(exercise):
        verdicts, diagnosis = check_trusted_implementation(exercise, mistake.implementation, seed=0)
        assert verdicts[0].error.startswith("wrong values")
        assert [d.id for d in diagnosis] == [mistake.id]
