"""Where the wrong values are: the right values in the wrong places (axes permuted, one axis
reordered), a shift along an axis, errors only at some positions, sums along the wrong axis."""

from __future__ import annotations

import itertools
from typing import Any

from llmprep.grading.analysis.evidence import CaseEvidence, Finding
from llmprep.grading.analysis.leaves import first_difference

VALUE_KINDS = ("values", "nonfinite")


def _differences(cases: list[CaseEvidence]) -> list[tuple[CaseEvidence, str, Any, Any]] | None:
    failing = [c for c in cases if not c.passed and c.kind in VALUE_KINDS]
    found = []
    for case in failing:
        difference = first_difference(case)
        if difference is None:
            return None
        found.append((case, *difference))
    return found or None


def _close(a, b, case: CaseEvidence) -> bool:
    import torch

    return a.shape == b.shape and bool(torch.isclose(a, b, atol=case.atol, rtol=case.rtol, equal_nan=True).all())


def _axis_order(ref, out, case: CaseEvidence) -> tuple[int, list[int]] | None:
    """(axis, order) with out.index_select(axis) == ref.index_select(axis, order), order not identity."""
    for axis in range(ref.dim()):
        n = ref.shape[axis]
        if n < 2:
            continue
        order = []
        for k in range(n):
            column = out.select(axis, k)
            match = next((m for m in range(n) if _close(column, ref.select(axis, m), case)), None)
            if match is None:
                break
            order.append(match)
        if len(order) == n and order != list(range(n)):
            return axis - ref.dim(), order
    return None


def _describe_order(order: list[int]) -> tuple[str, str]:
    n = len(order)
    if order == list(range(0, n, 2)) + list(range(1, n, 2)):
        return ("the even indices first, then the odd ones (halves concatenated instead of interleaved)",
                "先是偶数下标，再是奇数下标（拼接了两半，而不是交错）")
    if order == list(range(n))[::-1]:
        return "reversed", "顺序颠倒"
    return f"in the order {order}", f"顺序为 {order}"


def wrong_places(cases: list[CaseEvidence]) -> Finding | None:
    """Same values, other places: an axis permutation, or one axis reordered."""
    import torch

    differences = _differences(cases)
    if not differences:
        return None
    case, path, ref, out = differences[0]
    if ref.numel() < 2 or not _close(out.flatten().sort().values, ref.flatten().sort().values, case):
        return None
    for perm in itertools.permutations(range(ref.dim())):
        if list(perm) == list(range(ref.dim())) or ref.permute(perm).shape != out.shape:
            continue
        if _close(ref.permute(perm).contiguous(), out, case):
            return Finding("axes-permuted", f"The right values in the wrong places: {path} is the reference with "
                           f"its axes permuted to {list(perm)} (case {case.name}).",
                           f"值是对的，位置错了：{path} 是参考值按 {list(perm)} 交换各轴后的结果（用例 {case.name}）。")
    if ref.dim() >= 2:
        # reshape without transpose: the reference's last axes read in the wrong memory order
        for split in range(2, ref.shape[-1]):
            if ref.shape[-1] % split or ref.dim() < 2:
                continue
            t = ref.shape[-2]
            heads = ref.reshape(*ref.shape[:-1], split, ref.shape[-1] // split).movedim(-2, -3)  # (..., H, T, d)
            if _close(heads.reshape(ref.shape), out, case) and t > 1:
                return Finding("reshape-without-transpose", f"The right values in the wrong places: {path} is the "
                               f"reference split into {split} groups along the last axis and reshaped back without "
                               "transposing (heads merged without moving the head axis back next to the features).",
                               f"值是对的，位置错了：{path} 相当于把参考值沿最后一维分成 {split} 组、未转置就直接 "
                               "reshape 回去（合并多头时没有把头的维度换回特征维旁边）。")
    order = _axis_order(ref, out, case)
    if order is not None:
        axis, index = order
        en, zh = _describe_order(index)
        return Finding("axis-reordered", f"The right values in the wrong places: along axis {axis} {path} has the "
                       f"reference's entries {en} (case {case.name}).",
                       f"值是对的，位置错了：{path} 沿第 {axis} 维的元素{zh}（用例 {case.name}）。")
    del torch
    return Finding("same-values-other-places", f"The right values in the wrong places: {path} holds the same "
                   f"values as the reference, in another order (case {case.name}).",
                   f"值是对的，位置错了：{path} 与参考值的元素相同，只是顺序不同（用例 {case.name}）。")


def shifted(cases: list[CaseEvidence]) -> Finding | None:
    """The output is the reference moved by k positions along one axis (an off-by-one)."""
    differences = _differences(cases)
    if not differences:
        return None
    found = None
    for shift_axis in range(-1, -5, -1):
        for k in (1, -1, 2, -2):
            ok, applicable = True, 0
            for case, _, ref, out in differences:
                if ref.dim() < -shift_axis:
                    ok = False
                    break
                n = ref.shape[shift_axis]
                if n <= abs(k) + 1:
                    continue  # too short to tell
                applicable += 1
                if k > 0:
                    same = _close(out.narrow(shift_axis, k, n - k), ref.narrow(shift_axis, 0, n - k), case)
                else:
                    same = _close(out.narrow(shift_axis, 0, n + k), ref.narrow(shift_axis, -k, n + k), case)
                if not same:
                    ok = False
                    break
            if ok and applicable:
                found = (shift_axis, k)
                break
        if found:
            break
    if not found:
        return None
    axis, k = found
    path = differences[0][1]
    sign = "−" if k > 0 else "+"
    return Finding("shifted", f"{path} is the reference shifted by {abs(k)} position{'s' if abs(k) > 1 else ''} "
                   f"along axis {axis}: output[i] = reference[i {sign} {abs(k)}] (an off-by-one).",
                   f"{path} 是参考值沿第 {axis} 维平移 {abs(k)} 位的结果：output[i] = reference[i {sign} {abs(k)}]"
                   "（差一错误）。")


def _error_mask(case: CaseEvidence, ref, out):
    import torch

    return ~torch.isclose(out, ref, atol=case.atol, rtol=case.rtol, equal_nan=True)


def where_wrong(cases: list[CaseEvidence]) -> Finding | None:
    """Errors only at some positions: the first or last index, odd or even indices, a diagonal,
    or a prefix that is right along one axis."""
    import torch

    differences = _differences(cases)
    if not differences:
        return None
    masks = [(case, path, _error_mask(case, ref, out)) for case, path, ref, out in differences]
    path = masks[0][1]
    # a diagonal of the last two axes
    offsets = set()
    for _, _, mask in masks:
        if mask.dim() < 2:
            offsets = None
            break
        index = mask.nonzero()
        offsets |= set((index[:, -1] - index[:, -2]).tolist())
    if offsets is not None and len(offsets) == 1:
        offset = offsets.pop()
        place = "on the diagonal" if offset == 0 else f"on the diagonal with offset {offset} (j − i = {offset})"
        return Finding("only-diagonal", f"Every wrong element of {path} is {place} of the last two axes.",
                       f"{path} 中所有错误的元素都在最后两维的对角线上" + ("" if offset == 0 else f"（j − i = {offset}）") + "。")
    for axis in range(-1, -5, -1):
        usable = [(case, mask) for case, _, mask in masks if mask.dim() >= -axis and mask.shape[axis] >= 2]
        if not usable:
            continue
        wrong_at = [mask.movedim(axis, 0).reshape(mask.shape[axis], -1).any(-1) for _, mask in usable]
        if all(bool(w[1:].any()) is False and bool(w[0]) for w in wrong_at):
            return Finding("only-first", f"Only index 0 along axis {axis} of {path} is wrong; every later index is "
                           "right (the first position is handled differently).",
                           f"{path} 只有沿第 {axis} 维的下标 0 出错，其后都正确（第一个位置处理错了）。")
        if all(bool(w[:-1].any()) is False and bool(w[-1]) for w in wrong_at):
            return Finding("only-last", f"Only the last index along axis {axis} of {path} is wrong.",
                           f"{path} 只有沿第 {axis} 维的最后一个下标出错。")
        if all(not bool(w[0::2].any()) for w in wrong_at):
            return Finding("only-odd", f"Only the odd indices along axis {axis} of {path} are wrong; the even ones "
                           "are right.", f"{path} 沿第 {axis} 维只有奇数下标出错，偶数下标都正确。")
        if all(not bool(w[1::2].any()) for w in wrong_at):
            return Finding("only-even", f"Only the even indices along axis {axis} of {path} are wrong; the odd ones "
                           "are right.", f"{path} 沿第 {axis} 维只有偶数下标出错，奇数下标都正确。")
        firsts = []
        for w in wrong_at:
            first = int(w.nonzero()[0]) if bool(w.any()) else None
            firsts.append(first)
        if all(f is not None and f >= 1 for f in firsts):
            k = min(firsts)
            case = usable[firsts.index(k)][0]
            return Finding("right-prefix", f"Along axis {axis} of {path} the first {k} entr{'y is' if k == 1 else 'ies are'} "
                           f"right on every failing case and the errors start after it (from index {k} in case "
                           f"{case.name}): what is computed first is right, what builds on it is not.",
                           f"在每个失败用例中，{path} 沿第 {axis} 维的前 {k} 个元素都正确，错误从其后开始（用例 "
                           f"{case.name} 中从下标 {k} 起）：最先算出的部分是对的，在其基础上的部分错了。")
    del torch
    return None


def sums_to_one(cases: list[CaseEvidence]) -> Finding | None:
    """The reference sums to 1 along an axis and the output does not (normalised along another axis)."""
    import torch

    differences = _differences(cases)
    if not differences:
        return None
    case, path, ref, out = differences[0]
    if ref.dim() == 0 or not bool(torch.isfinite(out).all()) or bool((ref < 0).any()):
        return None
    for axis in range(ref.dim()):
        if ref.shape[axis] < 2 or not bool(((ref.sum(axis) - 1).abs() < 1e-6).all()):
            continue
        if bool(((out.sum(axis) - 1).abs() < 1e-4).all()):
            return None
        other = [a - out.dim() for a in range(out.dim()) if a != axis and out.shape[a] > 1
                 and bool(((out.sum(a) - 1).abs() < 1e-4).all())]
        ax = axis - ref.dim()
        if other:
            return Finding("sums-wrong-axis", f"{path} does not sum to 1 along axis {ax} as the reference does; it "
                           f"sums to 1 along axis {other[0]}: normalised along the wrong axis.",
                           f"{path} 沿第 {ax} 维之和不为 1（参考值为 1），而是沿第 {other[0]} 维之和为 1："
                           "沿错了维度归一化。")
        if abs(float(out.sum()) - 1) < 1e-4:
            return Finding("sums-wrong-axis", f"{path} does not sum to 1 along axis {ax} as the reference does; the "
                           "whole tensor sums to 1: normalised over everything instead of along one axis.",
                           f"{path} 沿第 {ax} 维之和不为 1（参考值为 1），而是整个张量之和为 1：对全部元素做了归一化。")
        return Finding("sums-wrong-axis", f"{path} does not sum to 1 along axis {ax}, as the reference does.",
                       f"{path} 沿第 {ax} 维之和不为 1，而参考值为 1。")
    return None


def _prefix_relation(case: CaseEvidence) -> tuple[str, int, int] | None:
    """(path, output rows, reference rows) for a leaf whose first axis is longer or shorter than the
    reference's while the shorter of the two matches the start of the longer."""
    from llmprep.grading.analysis.leaves import as_float64, leaves

    mine = dict(leaves(case.output))
    for path, ref in leaves(case.reference):
        if path not in mine:
            continue
        r, o = as_float64(ref), as_float64(mine[path])
        if r.dim() == 0 or o.dim() != r.dim() or r.shape[1:] != o.shape[1:] or r.shape[0] == o.shape[0]:
            continue
        n = min(r.shape[0], o.shape[0])
        if _close(o[:n], r[:n], case):
            return path, o.shape[0], r.shape[0]
    return None


def longer_or_shorter(cases: list[CaseEvidence]) -> Finding | None:
    """A wrong length whose common part is right: the loop stops too late or too early."""
    found = [(c, rel) for c in cases if not c.passed and c.kind == "shape" and c.output is not None
             and (rel := _prefix_relation(c)) is not None]
    if not found:
        return None
    longer = [item for item in found if item[1][1] > item[1][2]]
    shorter = [item for item in found if item[1][1] < item[1][2]]
    if longer and shorter:
        return None
    case, (path, mine, ref) = found[0]
    if longer:
        return Finding("runs-too-long", f"{path} is longer than the reference ({mine} entries instead of {ref} along "
                       f"axis 0, case {case.name}) and begins with all of it: your loop goes on past where the "
                       "reference stops (a stopping condition is missing or too weak).",
                       f"{path} 比参考值长（沿第 0 维 {mine} 个而不是 {ref} 个，用例 {case.name}），且开头与参考值完全"
                       "相同：循环在参考实现停止的地方没有停下（缺少或放宽了停止条件）。")
    return Finding("stops-too-early", f"{path} is shorter than the reference ({mine} entries instead of {ref} along "
                   f"axis 0, case {case.name}) and is its beginning: your loop stops before the reference does.",
                   f"{path} 比参考值短（沿第 0 维 {mine} 个而不是 {ref} 个，用例 {case.name}），且正是参考值的开头："
                   "循环比参考实现停得早。")
