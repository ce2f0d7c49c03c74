"""exercise.toml is parsed by a strict schema: a typo in any key, or a bad value, is refused with
exit 2 by every command that loads the catalog, naming the file, the line and the key."""

from __future__ import annotations

import re
import shutil

import pytest

from llmprep.errors import UserError
from llmprep.exercises import list_exercises
from llmprep.paths import exercises_dir
from llmprep.tolerance import Tolerance
from llmprep.topics import TOPIC_IDS

# Between them these two use every key of the format (harness and output_dtype; grad_tolerance).
RICH = ("sample-next-token", "layer-norm")
KEY_LINE = re.compile(r"^(\s*\[*\s*)([A-Za-z_][\w.]*)(\s*\]*\s*=?)")


def _misspelt(name: str) -> str:
    """'banned' -> 'bannned': the third letter doubled (the last of a shorter name)."""
    i = min(2, len(name) - 1)
    return name[: i + 1] + name[i] + name[i + 1:]


def _key_typos(exercise_id: str) -> list[tuple[str, int, str]]:
    """(exercise, line index, misspelt key) for every key and every table name of the file."""
    lines = (exercises_dir() / exercise_id / "exercise.toml").read_text(encoding="utf-8").splitlines()
    typos, seen = [], set()
    for index, line in enumerate(lines):
        match = KEY_LINE.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        for part in match.group(2).split("."):
            if (part, match.group(1).strip()) not in seen:  # one typo per distinct key and position
                seen.add((part, match.group(1).strip()))
                typos.append((exercise_id, index, part))
    return typos


TYPOS = [t for exercise_id in RICH for t in _key_typos(exercise_id)]


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A catalog holding one copied exercise folder whose exercise.toml the test edits."""

    def plant(exercise_id: str, edit) -> str:
        folder = tmp_path / "exercises" / exercise_id
        shutil.copytree(exercises_dir() / exercise_id, folder)
        toml = folder / "exercise.toml"
        text = toml.read_text(encoding="utf-8")
        edited = edit(text)
        assert edited != text, "the planted edit changed nothing"
        toml.write_text(edited, encoding="utf-8")
        monkeypatch.setattr("llmprep.exercises.exercises_dir", lambda: tmp_path / "exercises")
        return str(toml)

    return plant


def test_the_planted_files_use_every_key_of_the_format():
    from llmprep.exercise_toml import ExerciseToml

    keys = {key for _, _, key in TYPOS}
    assert set(ExerciseToml.model_fields) <= keys
    assert {"atol", "rtol", "en", "zh", "float32"} <= keys


@pytest.mark.parametrize(("exercise_id", "index", "key"), TYPOS, ids=[f"{e}:{k}@{i + 1}" for e, i, k in TYPOS])
def test_a_typo_in_any_key_is_refused_naming_the_key(exercise_id, index, key, planted, run_cli):
    typo = _misspelt(key)

    def edit(text: str) -> str:
        lines = text.splitlines()
        prefix, name, rest = KEY_LINE.match(lines[index]).groups()
        lines[index] = prefix + ".".join(typo if p == key else p for p in name.split(".")) + \
            lines[index][len(prefix) + len(name):]
        return "\n".join(lines) + "\n"

    path = planted(exercise_id, edit)
    for command in (["exercises"], ["hint", exercise_id]):
        result = run_cli(*command)
        assert result.exit_code == 2, (command, result.output)
        assert typo in result.stderr and path in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("line", "replacement", "named", "says"), [
    ('topic = "transformer-block"', 'topic = "atention"', "topic", "did you mean 'attention'"),
    ('difficulty = "easy"', 'difficulty = "eays"', "difficulty", "did you mean 'easy'"),
    ('kind = "function"', 'kind = "fuction"', "kind", "did you mean 'function'"),
    ("differentiable = true", 'differentiable = "yes"', "differentiable", "valid boolean"),
    ("differentiable = true", "differentiable = 1", "differentiable", "valid boolean"),
    ("atol = 1e-10", 'atol = "1e-10"', "tolerance.float64.atol", "valid number"),
    ("atol = 1e-10", "atol = -1e-10", "tolerance.float64.atol", "greater than or equal to 0"),
    ("order = ", "order = 1.5 #", "order", "valid integer"),
    ("format_version = 1", "format_version = 2", "format_version", "Input should be 1"),
    ("format_version = 1", "", "format_version", "format_version = 1"),
    ('id = "layer-norm"', 'id = "layer_norm"', "id", "should match pattern"),
    ('id = "layer-norm"', 'id = "layernorm"', "id", "differs from the folder name"),
    ('entry = "layer_norm"', 'entry = "layer norm"', "entry", "should match pattern"),
    ("[tolerance.float32]", "[tolerance.float23]", "tolerance.float23", "'float32'"),
    ("[title]", '[title]\nfr = "x"', "title.fr", "unknown key"),
    ('signature = "', 'harness = "harness.py"\nsignature = "', "harness", "no harness.py beside it"),
    ("banned = [", 'banned = ["torch.nn.functional.layer norm", ', "banned", "not a dotted name"),
])
def test_a_bad_value_is_refused_naming_the_key(line, replacement, named, says, planted, run_cli):
    path = planted("layer-norm", lambda text: text.replace(line, replacement, 1))
    result = run_cli("exercises")
    assert result.exit_code == 2, result.output
    assert f"`{named}`" in result.stderr and says in result.stderr and path in result.stderr, result.stderr


def test_the_error_points_at_the_line_of_the_key(planted):
    path = planted("layer-norm", lambda text: text.replace("atol = 2e-5", "atoll = 2e-5", 1))
    with pytest.raises(UserError) as raised:
        list_exercises()
    line = next(i for i, text in enumerate(open(path, encoding="utf-8"), start=1) if text.startswith("atoll"))
    assert raised.value.where == f"{path}:{line}"
    assert f"line {line}, `tolerance.float32.atoll`: unknown key; did you mean 'atol'?" in raised.value.what


def test_every_bundled_exercise_parses_and_uses_a_known_topic():
    exercises = list_exercises()
    assert len(exercises) >= 25
    assert all(e.topic in TOPIC_IDS for e in exercises)
    assert all(isinstance(t, Tolerance) for e in exercises for t in e.tolerances.values())


def test_one_tolerance_rule_for_check_and_quiz():
    from llmprep.quiz.numeric import Tolerance as QuizTolerance

    assert Tolerance.model_validate({"atol": 1e-3, "rtol": 1e-2}).allows(1.011, 1.0)
    assert not Tolerance(1e-3, 1e-2).allows(1.0111, 1.0)
    assert Tolerance(0.5).allows(1050624.5, 1050624)  # the bound itself is inside
    assert Tolerance(1e-5, 1e-4).scaled(10) == Tolerance(1e-4, 1e-3)
    for bad in ({"atoll": 1.0}, {"atol": "1"}, {"atol": True}, {"rtol": -1.0}, {"abs": 1.0}):
        with pytest.raises(ValueError):
            Tolerance.model_validate(bad)
    # the bank writes the same two numbers as abs and rel, and the rule is the same
    quiz = QuizTolerance.model_validate({"abs": 1e-3, "rel": 1e-2})
    assert isinstance(quiz, Tolerance) and (quiz.atol, quiz.rtol) == (1e-3, 1e-2)
    assert quiz.allows(1.011, 1.0) and not quiz.allows(1.0111, 1.0)
    with pytest.raises(ValueError, match="abs"):
        QuizTolerance.model_validate({"abs": -1.0})


@pytest.mark.parametrize(("filename", "old", "new", "says"), [
    ("mistakes.py", "zh=", "fr=", "mistakes.py of exercise layer-norm failed to load: TypeError"),
    ("mistakes.py", "MISTAKES = [", "MISTAKES = [{'id': 'x'}, ", "MISTAKES[0] is a dict, not a Mistake"),
    ("spec.py", "def fixed_cases(", "def fixed_casez(", "spec.py defines no fixed_cases()"),
    ("spec.py", "import torch\n", "import torch\nimport torhc\n", "ModuleNotFoundError: No module named 'torhc'"),
    ("spec.py", "return cases", "return cases[:-1]", "random_cases(gen, 6) returned 5 cases"),
])
def test_a_broken_exercise_python_file_is_a_user_error_naming_the_file(filename, old, new, says, planted, tmp_path):
    from llmprep.exercises import load_exercise_folder
    from llmprep.grading.cases import load_mistakes, make_cases

    planted("layer-norm", lambda text: text + "\n")  # the exercise.toml as it is
    folder = tmp_path / "exercises" / "layer-norm"
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    exercise = load_exercise_folder(folder)
    with pytest.raises(UserError) as raised:
        load_mistakes(exercise) if filename == "mistakes.py" else make_cases(exercise, 0)
    assert says in raised.value.what and raised.value.where.startswith(str(path)), raised.value.what
