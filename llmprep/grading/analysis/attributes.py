"""What the failing cases share that the passing ones lack: "wrong only when L ≠ S", "only when
`eps` is not its default", "only on large-magnitude inputs"... The facts come from each case's
arguments, recorded once per case, so the analysis is a few set operations."""

from __future__ import annotations

import re
from typing import Any

from llmprep.grading.analysis.evidence import CaseEvidence, Fact, Finding
from llmprep.grading.analysis.leaves import as_float64, leaves

_NO_DEFAULT = object()
LARGE = 100.0


def _scalar_facts(name: str, value: Any, default: Any) -> list[Fact]:
    facts = []
    if isinstance(value, bool):
        facts.append(Fact(f"{name}={value}", f"`{name}` is {value}", f"`{name}` 为 {value}"))
    elif value is None:
        facts.append(Fact(f"{name}=None", f"`{name}` is not given", f"未给出 `{name}`"))
    elif isinstance(value, (int, float)):
        facts.append(Fact(f"{name}={value!r}", f"`{name}` = {value:g}", f"`{name}` = {value:g}"))
        if default is not _NO_DEFAULT and default is not None and value != default:
            facts.append(Fact(f"{name}!=default", f"`{name}` is not its default {default!r}",
                              f"`{name}` 不是默认值 {default!r}"))
        if value != 1:
            facts.append(Fact(f"{name}!=1", f"`{name}` ≠ 1", f"`{name}` ≠ 1"))
        if value > 1:
            facts.append(Fact(f"{name}>1", f"`{name}` > 1", f"`{name}` > 1"))
        if value == 0:
            facts.append(Fact(f"{name}=0", f"`{name}` = 0", f"`{name}` = 0"))
        else:
            facts.append(Fact(f"{name}!=0", f"`{name}` ≠ 0", f"`{name}` ≠ 0"))
    elif isinstance(value, str):
        facts.append(Fact(f"{name}={value}", f"`{name}` = \"{value}\"", f"`{name}` = \"{value}\""))
    if default is None and value is not None and not isinstance(value, bool):
        facts.append(Fact(f"{name}!=None", f"`{name}` is given", f"给出了 `{name}`"))
    return facts


def _tensor_facts(name: str, t: Any) -> list[Fact]:
    import torch

    facts = [Fact(f"{name}.ndim>2", f"`{name}` has more than 2 dims", f"`{name}` 超过 2 维")] if t.dim() > 2 else []
    if t.dim() >= 2:
        facts.append(Fact(f"{name}.ndim>=2", f"`{name}` has at least 2 dims", f"`{name}` 至少 2 维"))
        if t[..., 0].numel() > 1:  # (B, V) with B > 1, (B, T, V) with B·T > 1: rows can mix
            facts.append(Fact(f"{name}.rows>1", f"`{name}` has more than one row (a leading axis > 1)",
                              f"`{name}` 有不止一行（前面某一维大于 1）"))
    for axis in range(-1, -t.dim() - 1, -1):
        size = t.shape[axis]
        if size == 1:
            facts.append(Fact(f"{name}[{axis}]=1", f"`{name}` has size 1 on axis {axis}", f"`{name}` 第 {axis} 维大小为 1"))
        elif size > 1:
            facts.append(Fact(f"{name}[{axis}]>1", f"`{name}` axis {axis} > 1", f"`{name}` 第 {axis} 维大于 1"))
    if t.dim() and not t.is_contiguous():
        facts.append(Fact(f"{name}.noncontiguous", f"`{name}` is not contiguous (a transposed or sliced view)",
                          f"`{name}` 不连续（转置或切片得到的视图）"))
    if t.is_floating_point() and t.numel():
        finite = t[torch.isfinite(t)]
        if finite.numel() and float(finite.abs().max()) >= LARGE:
            facts.append(Fact(f"{name}.large", f"`{name}` has large magnitudes (|x| ≥ {LARGE:g})",
                              f"`{name}` 数值很大（|x| ≥ {LARGE:g}）"))
    if t.is_floating_point() and t.dim() and t.numel() and bool((t.amax(-1) == t.amin(-1)).any()):
        facts.append(Fact(f"{name}.constant_rows", f"`{name}` has rows that are constant along its last axis "
                          "(zero variance)", f"`{name}` 有沿最后一维取值全相同的行（方差为 0）"))
    if t.dtype == torch.bool and t.numel() and not bool(t.all()):
        facts.append(Fact(f"{name}.masks", f"`{name}` masks some positions", f"`{name}` 屏蔽了部分位置"))
    return facts


def describe_case(values: dict[str, Any], defaults: dict[str, Any], letters: dict[str, dict[int, str]] | None = None,
                  ) -> tuple[list[Fact], list[tuple[float, str, str]]]:
    """Facts about a case's named arguments, and the numbers a constant ratio may be made of.
    `letters` are the README's names of the axes ("q (..., L, D)"), shown beside the axis numbers."""
    letters = letters or {}
    import torch

    facts: list[Fact] = []
    quantities: list[tuple[float, str, str]] = []
    tensors = {}
    for name, value in values.items():
        if isinstance(value, torch.Tensor):
            tensors[name] = value
            facts += _tensor_facts(name, value)
            for axis in range(-1, -value.dim() - 1, -1):
                letter = letters.get(name, {}).get(axis)
                said = f", {letter}" if letter else ""
                quantities.append((float(value.shape[axis]), f"(`{name}` axis {axis} size{said})",
                                   f"（`{name}` 第 {axis} 维大小{said}）"))
        else:
            facts += _scalar_facts(name, value, defaults.get(name, _NO_DEFAULT))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                quantities.append((float(value), f"`{name}`", f"`{name}`"))
    ints = {n: v for n, v in values.items() if isinstance(v, int) and not isinstance(v, bool)}
    for (a, va), (b, vb) in ((x, y) for x in ints.items() for y in ints.items() if x[0] < y[0]):
        if va != vb:
            facts.append(Fact(f"{a}!={b}", f"`{a}` ≠ `{b}`", f"`{a}` ≠ `{b}`"))
    facts += _sizes_against_arguments(tensors, ints)
    names = list(tensors)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for axis in (-1, -2, -3):
                ta, tb = tensors[a], tensors[b]
                if ta.dim() != tb.dim():  # (B, T) against (B,): axis -1 means different things
                    continue
                if ta.dim() >= -axis and ta.shape[axis] != tb.shape[axis]:
                    la, lb = letters.get(a, {}).get(axis), letters.get(b, {}).get(axis)
                    said = f" ({la} ≠ {lb})" if la and lb and la != lb else ""
                    facts.append(Fact(f"{a}[{axis}]!={b}[{axis}]", f"`{a}` and `{b}` differ in size on axis {axis}{said}",
                                      f"`{a}` 与 `{b}` 第 {axis} 维大小不同{said}"))
    return facts, quantities


def _sizes_against_arguments(tensors: dict[str, Any], ints: dict[str, int]) -> list[Fact]:
    """"`k` axis -2 > `block_size`", "`k` axis -2 is not a multiple of `block_size`": a size that
    spans more than one block or group, or leaves a partial one."""
    facts = []
    for arg, n in ints.items():
        if n < 1 or "seed" in arg:  # a seed is no size
            continue
        if any(size > n for t in tensors.values() for size in t.shape):
            facts.append(Fact(f"any>arg:{arg}", f"some input is longer than `{arg}` along an axis",
                              f"某个输入沿某一维长于 `{arg}`"))
        for name, t in tensors.items():
            for axis in range(-1, -t.dim() - 1, -1):
                size = t.shape[axis]
                if size > n:
                    facts.append(Fact(f"{name}[{axis}]>arg:{arg}", f"`{name}` axis {axis} > `{arg}`",
                                      f"`{name}` 第 {axis} 维大于 `{arg}`"))
                if n > 1 and size % n:  # everything is a multiple of 1
                    facts.append(Fact(f"{name}[{axis}]%arg:{arg}", f"`{name}` axis {axis} is not a multiple of `{arg}`",
                                      f"`{name}` 第 {axis} 维不是 `{arg}` 的整数倍"))
    return facts


def _rank(key: str) -> int:
    """Which facts read best as an explanation: arguments off their default first, exact values last."""
    if re.fullmatch(r"\w+=[-+0-9.e]+", key) and not key.endswith("=0"):
        return 9  # "beta=0.499": an exact value (whose "=0" prefix is no "= 0")
    for rank, marks in enumerate(((".again",), ("!=default",), ("=True", "=False", "=None", "!=None"),
                                  ("]!=",), (".large", ".noncontiguous", ".masks", ".constant_rows", ".rows>1"),
                                  ("!=1", ">1", "=0", "!=", ">arg:", "%arg:"),
                                  ("]=1", "]>1", ".ndim"))):
        if any(m in key for m in marks):
            return rank
    return 9


def only_on_shared_attribute(cases: list[CaseEvidence]) -> Finding | None:
    """A fact (or two together) true of every failing case and of no passing one."""
    failing = [i for i, c in enumerate(cases) if not c.passed]
    passing = [i for i, c in enumerate(cases) if c.passed]
    if not failing or not passing:
        return None
    masks: dict[str, int] = {}
    words: dict[str, Fact] = {}
    for i, case in enumerate(cases):
        for fact in case.facts:
            masks[fact.key] = masks.get(fact.key, 0) | (1 << i)
            words.setdefault(fact.key, fact)
    fail_mask = sum(1 << i for i in failing)
    pass_mask = sum(1 << i for i in passing)
    order = list(masks)  # facts come in the order describe_case makes them: arguments first
    single = [k for k in order if masks[k] & fail_mask == fail_mask and not masks[k] & pass_mask]
    shown = f"{len(failing)} failing, {len(passing)} passing"
    shown_zh = f"{len(failing)} 个失败，{len(passing)} 个通过"
    if single:
        best = sorted(single, key=_rank)[:2]
        en = " and ".join(words[k].en for k in best[:1])
        zh = "、".join(words[k].zh for k in best[:1])
        also = f" (these cases also share: {words[best[1]].en})" if len(best) > 1 else ""
        also_zh = f"（这些用例还都满足：{words[best[1]].zh}）" if len(best) > 1 else ""
        return Finding("only-when", f"Wrong only on cases where {en}: every such case fails and every other "
                       f"case passes ({shown}){also}.",
                       f"只在 {zh} 的用例上出错：这样的用例全部失败，其余用例全部通过（{shown_zh}）{also_zh}。")
    threshold = _threshold(cases, failing, passing)
    if threshold is not None:
        return threshold
    inverse = [k for k in order if masks[k] & pass_mask == pass_mask and not masks[k] & fail_mask]
    if inverse:
        k = sorted(inverse, key=_rank)[0]
        return Finding("only-when", f"Right only on cases where {words[k].en}; every other case fails ({shown}).",
                       f"只有 {words[k].zh} 的用例是对的；其余用例全部失败（{shown_zh}）。")
    candidates = sorted((k for k in order if masks[k] & fail_mask == fail_mask), key=_rank)
    # two telling facts (arguments, sizes) that separate exactly read better than one that nearly does
    pair = _separating_pair([k for k in candidates if _rank(k) <= 5], masks, pass_mask)
    if pair is not None:
        return _pair_finding(words, *pair, shown, shown_zh)
    # A fact shared by every failing case and few passing ones: the passing ones are degenerate
    # (one key, a saturated softmax) and the fact still says where the bug lives.
    mostly = [k for k in candidates if 0 < bin(masks[k] & pass_mask).count("1") <= max(2, len(failing) // 2)]
    if mostly:
        k = sorted(mostly, key=lambda k: (bin(masks[k] & pass_mask).count("1"), _rank(k)))[0]
        exceptions = [cases[i].name for i in passing if masks[k] >> i & 1]
        return Finding("only-when", f"What every failing case has in common: {words[k].en}; every case without "
                       f"it passes ({shown}; with it, only {', '.join(exceptions)} passes).",
                       f"所有失败的用例的共同点：{words[k].zh}；不满足的用例全部通过（{shown_zh}；满足它的用例中只有 "
                       f"{', '.join(exceptions)} 通过）。")
    pair = _separating_pair(candidates, masks, pass_mask)
    return None if pair is None else _pair_finding(words, *pair, shown, shown_zh)


def _pair_finding(words: dict[str, Fact], a: str, b: str, shown: str, shown_zh: str) -> Finding:
    return Finding("only-when", f"Wrong only on cases where {words[a].en} and {words[b].en}: every such case fails "
                   f"and every other case passes ({shown}).",
                   f"只在 {words[a].zh} 且 {words[b].zh} 的用例上出错：这样的用例全部失败，其余用例全部通过"
                   f"（{shown_zh}）。")


def _separating_pair(candidates: list[str], masks: dict[str, int], pass_mask: int) -> tuple[str, str] | None:
    """Two facts, both true of every failing case, never true together of a passing one."""
    for i, a in enumerate(candidates):
        for b in candidates[i + 1:]:
            if not masks[a] & masks[b] & pass_mask:
                return a, b
    return None


def _threshold(cases: list[CaseEvidence], failing: list[int], passing: list[int]) -> Finding | None:
    """A numeric argument below (or above) which every case fails and beyond which every case passes."""
    names = set.intersection(*(set(cases[i].numbers) for i in failing + passing))
    for name in sorted(names):
        bad = [cases[i].numbers[name] for i in failing]
        good = [cases[i].numbers[name] for i in passing]
        if max(bad) < min(good):
            side, side_zh, bound = "≤", "≤", max(bad)
        elif min(bad) > max(good):
            side, side_zh, bound = "≥", "≥", min(bad)
        else:
            continue
        return Finding("only-when", f"Wrong only on cases where `{name}` {side} {bound:g}: every such case fails "
                       f"and every other case passes ({len(failing)} failing, {len(passing)} passing).",
                       f"只在 `{name}` {side_zh} {bound:g} 的用例上出错：这样的用例全部失败，其余用例全部通过"
                       f"（{len(failing)} 个失败，{len(passing)} 个通过）。")
    return None


def _excess(case: CaseEvidence) -> float:
    """How many times its tolerance a case's worst element is off (0 when nothing is comparable)."""
    import torch

    mine = dict(leaves(case.output))
    worst = 0.0
    for path, ref in leaves(case.reference):
        if path not in mine:
            continue
        r, o = as_float64(ref), as_float64(mine[path])
        both = torch.isfinite(r) & torch.isfinite(o) if r.shape == o.shape else None
        if both is None or not bool(both.any()):
            continue
        error = (o - r).abs()[both] / (case.atol + case.rtol * r.abs()[both]).clamp_min(1e-300)
        worst = max(worst, float(error.max()))
    return worst


def one_case_stands_out(cases: list[CaseEvidence]) -> Finding | None:
    """Several cases fail, but one is off by orders of magnitude more than the rest (which are
    rounding-sized): the fact that only that case has says where the bug lives."""
    failing = [c for c in cases if not c.passed and c.kind == "values"]
    if len(failing) < 2 or any(not c.passed and c.kind not in ("values", "") for c in cases):
        return None
    excess = sorted(((_excess(c), c) for c in failing), key=lambda item: -item[0])
    (top, case), (second, _) = excess[0], excess[1]
    if top < 100 * second or second > 20:
        return None
    others = [c for c in cases if c is not case]
    own = [f for f in case.facts if all(f.key not in {g.key for g in other.facts} for other in others)]
    if not own:
        return None
    fact = sorted(own, key=lambda f: _rank(f.key))[0]
    return Finding("one-case-stands-out", f"Far the largest error is on case {case.name} ({top:.3g}× the tolerance; "
                   f"the other failing cases are at most {second:.3g}× off): the only case where "
                   f"{fact.en}.",
                   f"最大的误差出现在用例 {case.name}（是容差的 {top:.3g} 倍；其他失败用例最多 {second:.3g} 倍）："
                   f"它是唯一一个 {fact.zh} 的用例。")
