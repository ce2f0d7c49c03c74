"""How the wrong values relate to the right ones: a constant ratio (and what it matches), a sign
flip, an additive offset, a function of the reference (its log, exp, ReLU), a factor per row."""

from __future__ import annotations

import math
from typing import Any

from llmprep.grading.analysis.evidence import CaseEvidence, Finding
from llmprep.grading.analysis.leaves import first_difference

VALUE_KINDS = ("values", "nonfinite")


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def ratio_names(ratio: float, quantities: list[tuple[float, str, str]]) -> list[tuple[str, str]]:
    """Expressions over the case's quantities that equal `ratio` (√D, 1/C, T², 1/(1−p), ...)."""
    names = []
    for value, en, zh in quantities:
        if value <= 0:
            continue
        forms = [(value, "{}"), (math.sqrt(value), "√{}"), (value**2, "{}²"), (1 / value, "1/{}"),
                 (1 / math.sqrt(value), "1/√{}"), (1 / value**2, "1/{}²")]
        if value < 1:
            forms += [(1 / (1 - value), "1/(1−{})"), (1 - value, "1−{}")]
        for target, form in forms:
            if abs(ratio - target) <= 1e-3 * abs(target) and abs(target - 1) > 1e-6:
                names.append((form.format(en), form.format(zh)))
    return names


def _relations(ref, out, atol: float) -> dict[str, Any]:
    """Every relation between one case's output and reference (float64 tensors): {kind: parameter}."""
    import torch

    found: dict[str, Any] = {}
    finite = torch.isfinite(ref) & torch.isfinite(out)
    if ref.numel() == 0 or not bool(finite.any()) or bool((torch.isfinite(ref) != torch.isfinite(out)).any()):
        return found
    if not bool(finite.all()):  # the same non-finite entries on both sides (masked positions): compare the rest
        ref, out = ref[finite], out[finite]
    scale = float(out.abs().max().clamp_min(ref.abs().max())) + atol
    slack = 1e-4 * scale + atol

    def close(a, b) -> bool:
        return bool(((a - b).abs() <= slack).all())

    norm = float((ref * ref).sum())
    if norm > 0:
        ratio = float((out * ref).sum()) / norm
        if close(out, ratio * ref) and abs(ratio - 1) > 1e-6 and abs(ratio) > 1e-9:
            found["sign" if abs(ratio + 1) < 1e-4 else "ratio"] = ratio
            found["row_ratio"] = None
    offset = float((out - ref).mean())
    if close(out, ref + offset) and abs(offset) > slack:
        found["offset"] = offset
        found["row_offset"] = None
    positive = ref > 1e-30
    if bool(positive.any()) and close(out[positive], ref[positive].log()) and bool((out[~positive] < -60).all()):
        found["log"] = None
    if ref.abs().max() < 50 and close(out, ref.exp()):
        found["exp"] = None
    if bool((ref < 0).any()) and close(out, ref.clamp_min(0)):
        found["relu"] = None
    if ref.dim() >= 1 and ref.shape[-1] > 1:
        rows_ref, rows_out = ref.reshape(-1, ref.shape[-1]), out.reshape(-1, out.shape[-1])
        norms = (rows_ref * rows_ref).sum(-1)
        row_ratio = (rows_out * rows_ref).sum(-1) / norms.clamp_min(1e-300)
        row_ratio = torch.where(norms > 0, row_ratio, torch.ones_like(row_ratio))
        if close(rows_out, row_ratio[:, None] * rows_ref):
            found["row_ratio"] = None
        row_offset = (rows_out - rows_ref).mean(-1)
        if close(rows_out, rows_ref + row_offset[:, None]):
            found["row_offset"] = None
    elif ref.dim() >= 1:  # one feature per row: any per-row factor or offset fits
        found.setdefault("row_ratio", None)
        found.setdefault("row_offset", None)
    return found


PRIORITY = ("sign", "ratio", "offset", "log", "exp", "relu", "row_ratio", "row_offset")


def value_relation(cases: list[CaseEvidence]) -> Finding | None:
    """The one relation every value-failing case shares (ratio, sign, offset, ...), if any."""
    failing = [c for c in cases if not c.passed and c.kind in VALUE_KINDS]
    if not failing:
        return None
    relations = []
    common: set[str] | None = None
    for case in failing:
        difference = first_difference(case)
        if difference is None:
            return None
        found = _relations(difference[1], difference[2], case.atol)
        common = set(found) if common is None else common & set(found)
        relations.append((case, difference[0], found))
    kinds = [k for k in PRIORITY if k in (common or set())]
    if not kinds:
        return None
    kind = kinds[0]
    relations = [(c, p, (kind, found[kind])) for c, p, found in relations]
    path = relations[0][1]
    where = f"{len(failing)} failing case" + ("s" if len(failing) > 1 else "")
    if kind == "ratio":
        common = None
        for case, _, (_, ratio) in relations:
            named = set(ratio_names(ratio, case.quantities))
            common = named if common is None else common & named
        ratios = [r[2][1] for r in relations]
        if common:
            en, zh = sorted(common, key=len)[0]
            return Finding("constant-ratio", f"{path} is the reference times {en} on every failing case "
                           f"({_fmt(ratios[0])} in case {relations[0][0].name}): a constant factor, not noise.",
                           f"在每个失败用例上，{path} 都等于参考值乘以 {zh}（用例 {relations[0][0].name} 中为 "
                           f"{_fmt(ratios[0])}）：是一个常数因子，不是误差。")
        if max(ratios) - min(ratios) <= 1e-3 * abs(ratios[0]):
            return Finding("constant-ratio", f"{path} is the reference times {_fmt(ratios[0])} on every failing "
                           "case: a constant factor.",
                           f"在每个失败用例上，{path} 都等于参考值乘以 {_fmt(ratios[0])}：是一个常数因子。")
        return Finding("constant-ratio", f"On each failing case {path} is the reference times a constant "
                       f"(e.g. {_fmt(ratios[0])} in case {relations[0][0].name}), a factor that changes from case "
                       "to case: a scale that depends on the sizes or arguments.",
                       f"每个失败用例中 {path} 都是参考值乘以一个常数（如用例 {relations[0][0].name} 中为 "
                       f"{_fmt(ratios[0])}），该常数随用例变化：缩放因子取决于尺寸或参数。")
    messages = {
        "sign": ("{p} is the reference with its sign flipped (× −1) on {w}.",
                 "{p} 是参考值取反（乘以 −1）。"),
        "offset": ("{p} is the reference plus a constant offset ({o} in case {c}) on {w}: an additive error.",
                   "{p} 等于参考值加上一个常数偏移（用例 {c} 中为 {o}）：是加性误差。"),
        "log": ("{p} is the logarithm of the reference on {w}: log-probabilities where probabilities are expected.",
                "{p} 是参考值的对数：应返回概率，却返回了对数概率。"),
        "exp": ("{p} is exp of the reference on {w}.", "{p} 是参考值的指数。"),
        "relu": ("{p} is the reference with its negative values set to 0 on {w}: an extra ReLU or clamp.",
                 "{p} 是参考值把负数置 0 的结果：多了一个 ReLU 或截断。"),
        "row_ratio": ("Each row of {p} (along the last axis) is the reference times its own factor, on {w}: "
                      "a per-row scale is wrong (a normalisation by the wrong statistic).",
                      "{p} 的每一行（沿最后一维）都是参考值乘以各自的因子：每行的缩放错了（用错了归一化的统计量）。"),
        "row_offset": ("Each row of {p} (along the last axis) is the reference plus its own offset, on {w}: "
                       "a per-row shift is wrong.",
                       "{p} 的每一行（沿最后一维）都是参考值加上各自的偏移：每行的平移错了。"),
    }
    en, zh = messages[kind]
    offset = relations[0][2][1]
    fill = {"p": path, "w": where, "o": _fmt(offset) if isinstance(offset, float) else "",
            "c": relations[0][0].name}
    return Finding(f"value-{kind}", en.format(**fill), zh.format(**fill))
