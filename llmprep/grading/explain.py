"""From verdicts to evidence for the error analysis: what each case varies, how it failed."""

from __future__ import annotations

from typing import Any

from llmprep.exercises import Exercise
from llmprep.grading.analysis import CaseEvidence, Finding, analyse
from llmprep.grading.analysis.attributes import describe_case
from llmprep.grading.analysis.evidence import Fact
from llmprep.grading.plan import Plan, field_of, signature_defaults
from llmprep.grading.wording import exercise_forms


def failure_kind(message: str | None, raised: bool) -> str:
    """How a case failed, from its verdict: values, nonfinite, shape, error, gradient or other."""
    if raised:
        return "error"
    if not message:
        return ""
    for prefix, kind in (("wrong values", "values"), ("non-finite", "nonfinite"), ("wrong shape", "shape"),
                         ("wrong gradient", "gradient"), ("wrong dtype", "dtype")):
        if message.startswith(prefix):
            return kind
    return "other"


def case_values(case: Any, names: list[str]) -> dict[str, Any]:
    """A case's arguments by name (positional ones named after the entry's parameters)."""
    values = dict(case.init)
    for i, value in enumerate(case.args):
        values[names[i] if i < len(names) else f"arg{i}"] = value
    values.update(case.kwargs)
    return values


def explain(exercise: Exercise, plan: Plan, verdicts: list[Any], names: list[str], dtype: str) -> list[Finding]:
    """What the analyses can say about the failing cases."""
    call_defaults, init_defaults = signature_defaults(exercise)
    defaults = {**init_defaults, **call_defaults}
    evidence = []
    tolerance = exercise.tolerance(dtype)
    from llmprep.grading.analysis.contracts import axis_letters

    letters = axis_letters(exercise.readme("en"), list(dict.fromkeys([*names, *defaults])))
    for index, (case, verdict) in enumerate(zip(plan.cases, verdicts, strict=False)):
        values = case_values(case, names)
        for name, default in call_defaults.items():
            values.setdefault(name, default)
        facts, quantities = describe_case(values, defaults, letters)
        repeat_of = plan.repeats.get(index)
        if repeat_of is not None:
            facts.append(Fact("call.again", "it runs after every other case (a second call)", "在其他用例之后再次调用"))
        scale = case.tolerance_scale
        evidence.append(CaseEvidence(
            name=case.name, passed=verdict.passed, kind=verdict.kind, inputs=verdict.shapes,
            reference=field_of(plan.references[index], "output"), output=verdict.output,
            atol=tolerance.atol * scale, rtol=tolerance.rtol * scale, error=verdict.error or "",
            error_type=verdict.error_type or "", error_line=verdict.error_line, facts=facts,
            quantities=quantities, repeat_of=repeat_of,
            numbers={k: float(v) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}))
    from llmprep.grading.analysis.contracts import shape_contract

    contract = shape_contract(evidence, exercise.readme("en"), exercise.readme("zh"), exercise_forms(exercise))
    return ([contract] if contract else []) + analyse(evidence)
