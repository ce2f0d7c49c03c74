"""The analyses added for the unseen corpus, each on small hand-made cases: sizes against integer
arguments, "≠ 0", one case far worse than the rest, a length that runs on or stops early, NaN on
constant rows, and the README's shape sentence chosen only when it writes a shape."""

from __future__ import annotations

import torch

from llmprep.grading.analysis import CaseEvidence, analyse, attributes, calls, contracts, placement, sequences


def tensor(t) -> dict:
    return {"kind": "tensor", "tensor": t, "dtype": "float64"}


def case(ref, out, name="c", passed=False, kind="values", **extra) -> CaseEvidence:
    return CaseEvidence(name=name, passed=passed, kind="" if passed else kind, reference=tensor(ref),
                        output=None if out is None else tensor(out), atol=1e-6, rtol=1e-5, **extra)


REF = torch.tensor([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]], dtype=torch.float64)


def described(values: dict, defaults: dict | None = None):
    return attributes.describe_case(values, defaults or {})[0]


def test_sizes_against_integer_arguments():
    keys = {f.key for f in described({"k": torch.zeros(2, 11, 4), "block_size": 4})}
    assert {"k[-2]>arg:block_size", "k[-2]%arg:block_size"} <= keys
    assert "k[-1]%arg:block_size" not in keys and "k[-3]>arg:block_size" not in keys
    # an argument of 1 divides everything (but blocks of 1 are still blocks), and a seed is no size
    ones = {f.key for f in described({"k": torch.zeros(3, 5), "n": 1})}
    assert "k[-1]>arg:n" in ones and not any("%arg:n" in k for k in ones)
    assert not any("arg:" in k for k in {f.key for f in described({"k": torch.zeros(3, 5), "weights_seed": 7})})


def test_sizes_compared_only_between_tensors_of_the_same_rank():
    keys = {f.key for f in described({"logps": torch.zeros(4, 6), "rewards": torch.zeros(4),
                                      "old": torch.zeros(4, 5)})}
    assert "logps[-1]!=rewards[-1]" not in keys and "logps[-1]!=old[-1]" in keys


def test_nonzero_argument_is_a_fact():
    keys = {f.key for f in described({"beta": 0.04})}
    assert "beta!=0" in keys and "beta=0" not in keys
    assert "beta=0" in {f.key for f in described({"beta": 0.0})}


def test_wrong_only_when_a_size_spans_more_than_one_group():
    def grpo(name, batch, passed):
        facts = described({"logps": torch.zeros(batch, 3), "group_size": 4})
        return case(REF, REF if passed else REF * 2, name=name, passed=passed, facts=facts)
    found = attributes.only_on_shared_attribute([grpo("a", 8, False), grpo("b", 4, True), grpo("c", 12, False)])
    assert "`logps` axis -2 > `group_size`" in found.en and "`group_size`" in found.zh


def test_one_case_stands_out():
    eps = described({"eps": 1e-3}, {"eps": 1e-8})
    plain = described({"eps": 1e-8}, {"eps": 1e-8})
    cases = [case(REF, REF + 3e-6, name="rounding", facts=plain),
             case(REF, REF + 0.05, name="eps-1e-3", facts=eps),
             case(REF, REF, name="fine", passed=True, facts=plain)]
    found = attributes.one_case_stands_out(cases)
    assert found.id == "one-case-stands-out" and "eps-1e-3" in found.en and "`eps` is not its default" in found.en
    assert "eps-1e-3" in found.zh
    # comparable errors: nothing stands out
    cases[0] = case(REF, REF + 0.04, name="also-wrong", facts=plain)
    assert attributes.one_case_stands_out(cases) is None


def test_longer_or_shorter_than_the_reference():
    ref = torch.tensor([[97.0, 97.0], [97.0, 98.0], [256.0, 257.0]], dtype=torch.float64)
    longer = torch.cat([ref, torch.tensor([[1.0, 2.0]], dtype=torch.float64)])
    found = placement.longer_or_shorter([case(ref, longer, kind="shape")])
    assert found.id == "runs-too-long" and "4 entries instead of 3" in found.en and "4 个而不是 3 个" in found.zh
    assert placement.longer_or_shorter([case(ref, ref[:2], kind="shape")]).id == "stops-too-early"
    # a different beginning is not a stopping problem
    assert placement.longer_or_shorter([case(ref, longer.flip(0), kind="shape")]) is None


def test_nan_on_constant_rows_points_at_a_missing_eps():
    facts = described({"x": torch.tensor([[1.0], [2.0]])})
    assert "x.constant_rows" in {f.key for f in facts}
    ref = torch.zeros(2, 1, dtype=torch.float64)
    out = torch.full((2, 1), float("nan"), dtype=torch.float64)
    found = calls.nonfinite_direction([case(ref, out, kind="nonfinite", facts=facts)])
    assert "zero spread" in found.en and "eps" in found.en and "eps" in found.zh
    assert "constant_rows" not in {f.key for f in described({"x": torch.tensor([[1.0, 2.0]])})}


def test_readme_shape_sentence_needs_a_written_shape():
    example = 'Replace it left to right ("aaa" → [aa, a]); counts (97,97) → merge (97,97) → 256.\n'
    assert contracts.readme_sentence(example, "en") is None
    assert "output (..., L, Dv)" in contracts.readme_sentence("Inputs.\n- q (..., L, D) → output (..., L, Dv);\n", "en")


def test_analyse_states_the_new_facts_in_both_languages():
    ref = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    found = analyse([case(ref, torch.cat([ref, ref]), kind="shape")])
    assert found and all(f.en and f.zh and f.en != f.zh for f in found)


def test_two_facts_that_separate_exactly_beat_one_that_nearly_does():
    def flash(name, causal, length, block, passed):
        facts = described({"q": torch.zeros(length, 4), "is_causal": causal, "block_size": block})
        return case(REF, REF if passed else REF * 2, name=name, passed=passed, facts=facts)
    cases = [flash("causal-blocks", True, 13, 5, False), flash("causal-one-block", True, 5, 8, True),
             flash("plain", False, 13, 5, True), flash("causal-long", True, 20, 4, False)]
    found = attributes.only_on_shared_attribute(cases)
    assert "`is_causal` is True and some input is longer than `block_size`" in found.en
    assert "`block_size`" in found.zh


def test_missing_rows_end_with_an_integer_argument():
    ref = torch.tensor([[5.0, 2.0, 4.0, -1.0], [5.0, 1.0, 1.0, 3.0]], dtype=torch.float64)
    out = torch.tensor([[5.0, 1.0, 1.0, 3.0], [5.0, 2.0, 3.0, 0.0]], dtype=torch.float64)
    numbers = {"eos_id": 4.0, "beam_width": 2.0, "max_new_tokens": 4.0}
    other = torch.tensor([[1.0, 4.0], [2.0, 2.0]], dtype=torch.float64)
    cases = [case(ref, out, name="a", numbers=numbers),
             case(other, torch.tensor([[2.0, 2.0], [3.0, 3.0]], dtype=torch.float64), name="b", numbers=numbers)]
    found = sequences.missing_rows_end_with_argument(cases)
    assert found.id == "missing-rows-end-with" and "`eos_id`" in found.en and "`eos_id`" in found.zh
    # one case could be chance; a missing row that ends with no argument's value says nothing
    assert sequences.missing_rows_end_with_argument(cases[:1]) is None
    assert sequences.missing_rows_end_with_argument([case(ref, out, numbers={"eos_id": 7.0})] * 2) is None


def test_more_than_one_row():
    assert "logits.rows>1" in {f.key for f in described({"logits": torch.zeros(1, 2, 5)})}
    assert "logits.rows>1" not in {f.key for f in described({"logits": torch.zeros(1, 1, 5)})}
    assert "logits.rows>1" not in {f.key for f in described({"logits": torch.zeros(5)})}


def test_exact_values_rank_last():
    assert attributes._rank("beta=0.499") == 9 and attributes._rank("beta=0") < 9
    assert attributes._rank("eps!=default") < attributes._rank("beta!=0") < attributes._rank("beta=0.04")


def test_axis_letters_from_the_readme():
    readme = "- q (..., L, D), k (..., S, D) → output (..., L, Dv).\n- `scores`: (B, T) floats; `mask` (d_ff/2, d)\n"
    letters = contracts.axis_letters(readme, ["q", "k", "scores", "mask", "absent"])
    assert letters == {"q": {-1: "D", -2: "L"}, "k": {-1: "D", -2: "S"}, "scores": {-1: "T", -2: "B"}}
    facts = attributes.describe_case({"q": torch.zeros(2, 3, 4), "k": torch.zeros(2, 5, 4)}, {}, letters)[0]
    assert any(f.en == "`q` and `k` differ in size on axis -2 (L ≠ S)" and "(L ≠ S)" in f.zh for f in facts)
