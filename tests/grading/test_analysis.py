"""Each error analysis on small hand-made cases: it states its fact when the fact holds and says
nothing when it does not."""

from __future__ import annotations

import torch

from llmprep.grading.analysis import CaseEvidence, analyse, attributes, calls, contracts, placement, values
from llmprep.grading.analysis.evidence import Fact
from llmprep.grading.edge_cases import noncontiguous
from llmprep.grading.wording import in_chinese


def tensor(t) -> dict:
    return {"kind": "tensor", "tensor": t, "dtype": "float64"}


def case(ref, out, name="c", passed=False, kind="values", **extra) -> CaseEvidence:
    return CaseEvidence(name=name, passed=passed, kind="" if passed else kind, reference=tensor(ref),
                        output=None if out is None else tensor(out), atol=1e-6, rtol=1e-5, **extra)


REF = torch.tensor([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]], dtype=torch.float64)


def test_constant_ratio_names_the_quantity():
    found = values.value_relation([case(REF, REF * 8 ** 0.5, quantities=[(8.0, "`D`", "`D`")])])
    assert found.id == "constant-ratio" and "√`D`" in found.en and "√`D`" in found.zh


def test_sign_offset_log_and_per_row_factor():
    assert values.value_relation([case(REF, -REF)]).id == "value-sign"
    assert values.value_relation([case(REF, REF + 0.5)]).id == "value-offset"
    assert values.value_relation([case(REF, REF.log())]).id == "value-log"
    assert values.value_relation([case(REF, REF * torch.tensor([[2.0], [3.0]], dtype=torch.float64))]).id == \
        "value-row_ratio"


def test_no_relation_for_unrelated_values():
    noise = torch.tensor([[0.5, 0.1, 0.9], [0.2, 0.8, 0.1]], dtype=torch.float64)
    assert values.value_relation([case(REF, noise)]) is None


def test_axes_permuted_and_axis_reordered():
    ref = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4)
    assert placement.wrong_places([case(ref, ref.transpose(0, 1).contiguous().reshape(2, 3, 4))]) is not None
    table = torch.arange(12, dtype=torch.float64).reshape(3, 4)
    found = placement.wrong_places([case(table, torch.cat([table[:, 0::2], table[:, 1::2]], 1))])
    assert found.id == "axis-reordered" and "even indices first" in found.en


def test_reshape_without_transpose():
    heads = torch.randn(2, 5, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)  # (H, T, d)
    right = heads.transpose(0, 1).reshape(5, 6)
    wrong = heads.reshape(5, 6)
    found = placement.wrong_places([case(right, wrong)])
    assert found is not None and found.id in ("reshape-without-transpose", "same-values-other-places")


def test_shifted_by_one():
    ref = torch.arange(1, 8, dtype=torch.float64).exp()
    out = torch.cat([ref[1:], ref[-1:] * 3])
    found = placement.shifted([case(ref, out)])
    assert found.id == "shifted" and "reference[i + 1]" in found.en


def test_where_wrong_positions():
    ref = torch.ones(4, 4, dtype=torch.float64)
    assert placement.where_wrong([case(ref, ref + torch.eye(4, dtype=torch.float64))]).id == "only-diagonal"
    out = ref.clone()
    out[:, 1::2] += 1
    assert placement.where_wrong([case(ref, out)]).id in ("only-odd", "right-prefix")
    out = ref.clone()
    out[0] += 1
    out[:, 0] += 0  # only row 0 wrong
    found = placement.where_wrong([case(ref, out)])
    assert found.id == "only-first" and "axis -2" in found.en


def test_sums_to_one_along_the_wrong_axis():
    ref = REF
    out = REF / REF.sum(0, keepdim=True)
    found = placement.sums_to_one([case(ref, out)])
    assert found.id == "sums-wrong-axis" and "axis -2" in found.en


def test_only_on_shared_attribute_and_threshold():
    ld = Fact("L!=S", "`q` and `k` differ in size on axis -2", "…")
    cases = [case(REF, REF * 2, name="a", facts=[ld]), case(REF, REF, name="b", passed=True),
             case(REF, REF * 2, name="c", facts=[ld])]
    found = attributes.only_on_shared_attribute(cases)
    assert found.id == "only-when" and "differ in size on axis -2" in found.en
    by_norm = [case(REF, REF * 2, name="a", numbers={"max_grad_norm": 0.05}),
               case(REF, REF, name="b", passed=True, numbers={"max_grad_norm": 100.0}),
               case(REF, REF * 2, name="c", numbers={"max_grad_norm": 0.01})]
    assert "`max_grad_norm` ≤ 0.05" in attributes.only_on_shared_attribute(by_norm).en


def test_describe_case_records_what_a_case_varies():
    facts, quantities = attributes.describe_case(
        {"q": torch.zeros(2, 3, 4), "k": torch.zeros(2, 5, 4), "is_causal": True, "eps": 0.5}, {"eps": 1e-5})
    keys = {f.key for f in facts}
    assert {"q[-2]!=k[-2]", "is_causal=True", "eps!=default"} <= keys
    assert (4.0, "(`q` axis -1 size)", "（`q` 第 -1 维大小）") in quantities


def test_state_kept_between_calls_and_randomness():
    first = case(REF, REF, name="first", passed=True)
    again = case(REF, REF * 2, name="first again", repeat_of=0)
    assert calls.state_between_calls([first, again]).id == "state-between-calls"
    a = case(REF, REF * 2, name="first")
    b = case(REF, REF * 3, name="first again", repeat_of=0)
    assert calls.state_between_calls([a, b]).id == "differs-between-calls"


def test_exception_gradients_and_nonfinite_direction():
    raised = case(REF, None, kind="error", error="ZeroDivisionError: division by zero (line 7)",
                  error_type="ZeroDivisionError", error_line=7)
    found = calls.same_exception([raised, case(REF, REF, passed=True)])
    assert "ZeroDivisionError at line 7" in found.en and "第 7 行" in found.zh
    assert calls.gradients_only([case(REF, REF, kind="gradient", error="wrong gradient: …")]).id == "gradients-only"
    ref = torch.tensor([0.0, float("-inf")], dtype=torch.float64)
    found = calls.nonfinite_direction([case(ref, torch.tensor([0.0, -1e9], dtype=torch.float64), kind="nonfinite")])
    assert found.id == "reference-nonfinite"


def test_failed_harness_check_is_named_with_its_inputs():
    evidence = CaseEvidence(name="c1", passed=False, kind="values", inputs="input_ids 2×8",
                            reference={"kind": "dict", "items": {"input_untouched": {"kind": "float", "value": 1.0}}},
                            output={"kind": "dict", "items": {"input_untouched": {"kind": "float", "value": 0.0}}})
    found = calls.failed_check([evidence])
    assert "input untouched" in found.en and "input_ids 2×8" in found.en


def test_readme_contract_sentence():
    readme = "- ids: any shape; weight (V, d): one row. Output: ids.shape + (d,), in weight's dtype.\n"
    assert contracts.readme_sentence(readme, "en").startswith("Output: ids.shape + (d,)")


def test_analyse_runs_them_all_and_says_nothing_on_a_pass():
    assert analyse([case(REF, REF, passed=True)]) == []
    assert analyse([case(REF, -REF)])


def test_every_verdict_form_has_chinese():
    for message in ["wrong values: 3 of 4 elements of output outside atol + rtol·|ref| (atol=1e-05, rtol=0.0001)",
                    "wrong values: 1 of 8 elements of output['key_padding'] differ, the first at [1, 2]",
                    "non-finite values: output has 2 NaN or inf where the reference is finite",
                    "non-finite values: the reference has 2 inf or NaN where output is finite or different",
                    "wrong shape: output is 4, expected 1×4", "wrong dtype: output is float64, expected float32",
                    "modified its input `x` in place", "called a banned built-in: torch.softmax",
                    "wrong gradient: no gradient reached input `x`", "not run",
                    "timed out: still running after 60 s (see --timeout)"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in in_chinese(message)), message


def test_noncontiguous_view_keeps_the_values():
    for t in (torch.arange(6.0), torch.arange(24.0).reshape(2, 3, 4), torch.arange(6.0).reshape(2, 3)):
        view = noncontiguous(t)
        assert not view.is_contiguous() and torch.equal(view, t)
