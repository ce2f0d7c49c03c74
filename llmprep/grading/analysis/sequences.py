"""Facts about outputs that are rows of token ids: which rows are missing, and what they share."""

from __future__ import annotations

from llmprep.grading.analysis.evidence import CaseEvidence, Finding
from llmprep.grading.analysis.leaves import differing_leaves


def _last_token(row: list[float]) -> float | None:
    """The row's last entry before its padding (negative ids pad a sequence)."""
    kept = list(row)
    while kept and kept[-1] < 0:
        kept.pop()
    return kept[-1] if kept else None


def missing_rows_end_with_argument(cases: list[CaseEvidence]) -> Finding | None:
    """Every row of the reference that the output lacks ends with the value of one integer
    argument (`eos_id`): the sequences that stop there are scored, kept or ended wrongly."""
    failing = [c for c in cases if not c.passed and c.kind == "values"]
    if not failing:
        return None
    shared: set[str] | None = None
    example, used = None, 0
    for case in failing:
        if case.output is None or case.reference is None:
            return None
        rows = [(path, ref, out) for path, ref, out in differing_leaves(case.reference, case.output, case.atol, case.rtol)
                if ref.dim() == 2 and ref.shape[-1] >= 2 and not bool((ref != ref.round()).any())]
        if not rows:
            continue  # only other parts differ here (the scores): nothing to say about its rows
        path, ref, out = rows[0]
        mine = {tuple(row) for row in out.tolist()}
        missing = [row for row in ref.tolist() if tuple(row) not in mine]
        ends = {_last_token(row) for row in missing}
        if not missing or len(ends) != 1 or None in ends:
            return None
        end = ends.pop()
        names = {name for name, value in case.numbers.items() if value == end and float(value).is_integer()}
        shared = names if shared is None else shared & names
        if not shared:
            return None
        example, used = example or (case, path, end), used + 1
    if not shared or used < 2:  # one case: an end token may equal some argument by chance
        return None
    name = sorted(shared)[0]
    case, path, end = example
    return Finding("missing-rows-end-with", f"Every row of the reference that {path} lacks ends with `{name}` "
                   f"(= {end:g} in case {case.name}), on all {used} failing cases whose rows differ: the sequences "
                   f"that end with `{name}` are scored, kept or stopped differently from the reference.",
                   f"在行不同的全部 {used} 个失败用例中，{path} 缺少的参考行都以 `{name}` 结尾（用例 {case.name} 中为 "
                   f"{end:g}）：以 `{name}` 结尾的序列在打分、保留或停止上与参考实现不同。")
