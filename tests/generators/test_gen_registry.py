"""Every family: registered and documented, reproducible, gradable, torch-free; and through `llmprep quiz`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from llmprep.quiz import TOPIC_IDS
from llmprep.quiz.answers import correct_answer_text, grade_answer
from llmprep.quiz.bank import load_bank
from llmprep.quiz.generators import load_families
from llmprep.quiz.planning import find_question
from llmprep.quiz.session import choice_order_for

REQUIRED = ["attention", "softmax-temperature", "sinusoidal-pe", "layer-norm", "rms-norm", "perplexity",
            "param-count", "kv-cache-memory", "training-flops", "lr-schedule", "adam-step", "f1", "int8-quant",
            "top-p", "rope"]
FAMILIES = load_families()
README = Path(__file__).resolve().parents[2] / "README.md"


def test_at_least_the_fourteen_required_families():
    assert len(FAMILIES) >= 14 and set(REQUIRED) <= set(FAMILIES)
    for family in FAMILIES.values():
        assert family.topic in TOPIC_IDS
        for lang in ("en", "zh"):
            assert "params" in family.description[lang] and "answer" in family.description[lang], family.name


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_same_seed_same_question_and_the_shown_answer_is_right(name):
    family = FAMILIES[name]
    for seed in (1, 2, 3, 99, 2**31 - 1):
        question = family.generate(seed)
        assert question.model_dump() == family.generate(seed).model_dump()
        assert question.id == f"gen:{name}:{seed}" and question.family == name and question.topic == family.topic
        assert question.languages() == ["en", "zh"]
        # What the quiz shows as the answer is graded right, and something else is graded wrong.
        order = choice_order_for(question, seed)
        shown = correct_answer_text(question, order, "en")
        assert grade_answer(question, shown, order).correct is True, (question.id, shown)
        assert grade_answer(question, _wrong_answer(question, shown), order).correct is False
    assert len({json.dumps(FAMILIES[name].generate(seed).params) for seed in range(1, 30)}) > 5


def _wrong_answer(question, shown: str) -> str:
    if question.type == "multi":
        return "a" if shown != "a" else "b"
    # Every entry moved far beyond any tolerance (a unit after the number is dropped).
    shown = shown.removesuffix(" " + question.unit.en) if question.unit else shown
    return " ; ".join(" ".join(str(float(x) * 3 + 7) for x in row.split()) for row in shown.split(";"))


def test_generating_does_not_import_torch():
    code = ("import sys\nfrom llmprep.quiz.generators import load_families\n"
            "for family in load_families().values():\n    [family.generate(seed) for seed in range(1, 6)]\n"
            "print(sorted(m for m in ('torch', 'onnx', 'onnxruntime') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_list_generators_json_and_table(run_cli):
    result = run_cli("quiz", "--list-generators", "--json")
    listed = json.loads(result.stdout)
    assert [entry["name"] for entry in listed] == sorted(FAMILIES)
    assert all(entry["topic"] == FAMILIES[entry["name"]].topic and "answer" in entry["description"]["en"]
               for entry in listed)
    table = run_cli("quiz", "--list-generators").stdout
    assert all(name in table for name in REQUIRED)


def test_generated_session_end_to_end(run_cli):
    n = len(FAMILIES)
    first = json.loads(run_cli("quiz", "--generated", "all", "-n", str(n), "--seed", "7", "--json", input="").stdout)
    planned = first["unanswered"]
    assert len(planned) == n and {i.split(":")[1] for i in planned} == set(FAMILIES)
    bank = load_bank()
    answers = []
    for question_id in planned:
        question = find_question(bank, question_id)
        answers.append(correct_answer_text(question, choice_order_for(question, 7), "en"))
    result = run_cli("quiz", "--generated", "all", "-n", str(n), "--seed", "7", "--json",
                     input="\n".join(answers) + "\n")
    document = json.loads(result.stdout)
    assert [q["id"] for q in document["questions"]] == planned
    assert all(q["correct"] is True for q in document["questions"]), [q for q in document["questions"]
                                                                       if not q["correct"]]
    assert all({"family", "params", "answer"} <= set(q) for q in document["questions"])
    by_family = {q["family"]: q for q in document["questions"]}

    attention = by_family["attention"]
    assert set(attention["params"]) == {"q", "k", "v", "causal"}
    q, k, v = (torch.tensor(attention["params"][name], dtype=torch.float64) for name in ("q", "k", "v"))
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=attention["params"]["causal"])
    assert torch.allclose(torch.tensor(attention["answer"], dtype=torch.float64), expected, atol=1e-12)

    layer_norm = by_family["layer-norm"]
    assert set(layer_norm["params"]) == {"x", "gamma", "beta", "eps"}
    x = torch.tensor(layer_norm["params"]["x"], dtype=torch.float64)
    expected = torch.nn.functional.layer_norm(x, x.shape, torch.tensor(layer_norm["params"]["gamma"]).double(),
                                              torch.tensor(layer_norm["params"]["beta"]).double(),
                                              eps=layer_norm["params"]["eps"])
    assert torch.allclose(torch.tensor(layer_norm["answer"], dtype=torch.float64), expected, atol=1e-12)

    perplexity = by_family["perplexity"]
    assert set(perplexity["params"]) == {"token_probs"}
    probs = torch.tensor(perplexity["params"]["token_probs"], dtype=torch.float64)
    assert abs(perplexity["answer"] - torch.exp(-torch.log(probs).mean()).item()) < 1e-12


def test_two_named_families_alternate(run_cli):
    document = json.loads(run_cli("quiz", "--generated", "rope", "--generated", "f1", "-n", "4", "--seed", "2",
                                  "--json", input="").stdout)
    assert [i.split(":")[1] for i in document["unanswered"]] == ["rope", "f1", "rope", "f1"]


def test_a_generated_question_can_be_shown_again(run_cli):
    document = json.loads(run_cli("questions", "show", "gen:layer-norm:42", "--json").stdout)
    assert document["id"] == "gen:layer-norm:42" and document["params"] == FAMILIES["layer-norm"].generate(42).params


def test_readme_documents_every_family():
    text = README.read_text(encoding="utf-8")
    assert "## Generated questions" in text
    section = text.split("## Generated questions", 1)[1].split("\n## ", 1)[0]
    for name in FAMILIES:
        assert f"`{name}`" in section, name
