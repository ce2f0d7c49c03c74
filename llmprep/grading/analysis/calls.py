"""Facts about the calls themselves: state kept between calls, randomness, one exception on
every failing case, gradients the only thing wrong, non-finite values and which side has them."""

from __future__ import annotations

from llmprep.grading.analysis.evidence import CaseEvidence, Finding
from llmprep.grading.analysis.leaves import first_difference, leaves


def _same_output(a: CaseEvidence, b: CaseEvidence) -> bool:
    import torch

    la, lb = dict(leaves(a.output)), dict(leaves(b.output))
    if la.keys() != lb.keys():
        return False
    for key, x in la.items():
        y = lb[key]
        if isinstance(x, torch.Tensor) != isinstance(y, torch.Tensor):
            return False
        if isinstance(x, torch.Tensor):
            if x.shape != y.shape or not torch.equal(x.double().nan_to_num(), y.double().nan_to_num()):
                return False
        elif x != y:
            return False
    return True


def state_between_calls(cases: list[CaseEvidence]) -> Finding | None:
    """A case repeated later in the same process: right the first time and wrong the second means
    state kept between calls; two different answers to the same inputs mean randomness."""
    for case in cases:
        if case.repeat_of is None:
            continue
        first = cases[case.repeat_of]
        if first.passed and not case.passed:
            return Finding("state-between-calls", f"Case {first.name} passes when it runs first and fails when the "
                           f"same inputs run again later ({case.name}): your code keeps state between calls "
                           "(a module-level cache, a counter, a default argument that is mutated).",
                           f"用例 {first.name} 第一次运行时通过，之后用相同输入再运行（{case.name}）却失败："
                           "你的代码在两次调用之间保留了状态（模块级缓存、计数器、被修改的默认参数）。")
        if (not first.passed and not case.passed and first.output is not None and case.output is not None
                and not _same_output(first, case)):
            return Finding("differs-between-calls", f"Two calls with the same inputs ({first.name} and {case.name}) "
                           "return different outputs: randomness left in (dropout in training mode, the global "
                           "random generator) or state kept between calls.",
                           f"相同输入的两次调用（{first.name} 与 {case.name}）返回了不同的输出：代码中还有随机性"
                           "（训练模式下的 dropout、全局随机数生成器）或在调用之间保留了状态。")
    return None


def same_exception(cases: list[CaseEvidence]) -> Finding | None:
    """The exception most failing cases raise, with its line in the submission's file."""
    failing = [c for c in cases if not c.passed]
    raised = [c for c in failing if c.kind == "error"]
    if not raised:
        return None
    counts: dict[tuple[str, int | None], list[CaseEvidence]] = {}
    for case in raised:
        counts.setdefault((case.error_type, case.error_line), []).append(case)
    (error_type, line), some = max(counts.items(), key=lambda item: len(item[1]))
    where = f" at line {line} of your file" if line else ""
    where_zh = f"（你的文件第 {line} 行）" if line else ""
    share = "Every failing case raises" if len(some) == len(failing) else \
        f"{len(some)} of {len(failing)} failing cases raise"
    share_zh = "所有失败的用例都抛出" if len(some) == len(failing) else f"{len(failing)} 个失败用例中有 {len(some)} 个抛出"
    return Finding("raises", f"{share} {error_type}{where} (first in case {some[0].name}: {some[0].error}).",
                   f"{share_zh} {error_type}{where_zh}（最早在用例 {some[0].name}：{some[0].error}）。")


def gradients_only(cases: list[CaseEvidence]) -> Finding | None:
    """The values are right everywhere; only gradients are wrong."""
    failing = [c for c in cases if not c.passed]
    if not failing or any(c.kind != "gradient" for c in failing):
        return None
    return Finding("gradients-only", "The forward values are right on every case; only the gradients are wrong "
                   f"({failing[0].error}): the backward pass (or a detach, an in-place edit) is the problem.",
                   f"每个用例的前向输出都正确，只有梯度错了（{failing[0].error}）：问题在反向传播"
                   "（或 detach、原地修改）。")


def nonfinite_direction(cases: list[CaseEvidence]) -> Finding | None:
    """Which side is non-finite: the output (overflow, 0/0) or the reference (−inf masks)."""
    import torch

    for case in cases:
        if case.passed or case.kind != "nonfinite":
            continue
        difference = first_difference(case)
        if difference is None:
            continue
        path, ref, out = difference
        ref_bad, out_bad = ~torch.isfinite(ref), ~torch.isfinite(out)
        if bool((ref_bad & ~out_bad).any()) and not bool((out_bad & ~ref_bad).any()):
            index = (ref_bad & ~out_bad).nonzero()[0].tolist()
            return Finding("reference-nonfinite", f"The reference is {float(ref[tuple(index)]):g} where {path} is "
                           f"finite ({float(out[tuple(index)]):.4g} at {index}, case {case.name}): the reverse of "
                           "an overflow, e.g. a large negative number where −inf is expected.",
                           f"参考值在 {index} 处为 {float(ref[tuple(index)]):g}，而 {path} 是有限值 "
                           f"{float(out[tuple(index)]):.4g}（用例 {case.name}）：与溢出相反，例如应为 −inf 处用了一个"
                           "很大的负数。")
        if bool(out_bad.any()):
            index = (out_bad & ~ref_bad).nonzero()
            at = index[0].tolist() if len(index) else out_bad.nonzero()[0].tolist()
            large = [f for f in case.facts if f.key.endswith(".large")]
            flat = [f for f in case.facts if f.key.endswith(".constant_rows")]
            why = " on large-magnitude inputs: exp overflow?" if large else ""
            why_zh = "，输入数值很大：exp 溢出？" if large else ""
            if flat and not large:
                why = f"; {flat[0].en}: a division by a zero spread (0/0), with no eps to keep it away from 0?"
                why_zh = f"；{flat[0].zh}：除以为 0 的离散度（0/0），没有用 eps 避开 0？"
            end, end_zh = ("", "") if why else (".", "。")
            return Finding("output-nonfinite", f"{path} has NaN or inf where the reference is finite, first at "
                           f"{at} in case {case.name}{why}{end}",
                           f"{path} 在参考值有限的位置出现 NaN 或 inf，最早在用例 {case.name} 的 {at}{why_zh}{end_zh}")
    return None


def failed_check(cases: list[CaseEvidence]) -> Finding | None:
    """A harness's yes/no check (causality, cache use, reproducibility, inputs untouched) that the
    reference passes and the submission fails, named with the inputs of the call that failed."""
    import torch

    for case in cases:
        if case.passed or case.output is None:
            continue
        mine = dict(leaves(case.output))
        for path, ref in leaves(case.reference):
            got = mine.get(path)
            if got is None or path == "output":
                continue
            ref_value = float(ref) if not isinstance(ref, torch.Tensor) or ref.numel() == 1 else None
            got_value = float(got) if not isinstance(got, torch.Tensor) or got.numel() == 1 else None
            if ref_value == 1.0 and got_value == 0.0:
                name = path.rsplit("[", 1)[-1].strip("]'\"").replace("_", " ")
                return Finding("failed-check", f"The check \"{name}\" ({path}) fails: the reference passes it, "
                               f"your code does not, first on case {case.name} ({case.inputs}).",
                               f"检查“{name}”（{path}）未通过：参考实现通过了它，你的代码没有；最早在用例 "
                               f"{case.name}（{case.inputs}）。")
    return None


def which_parts(cases: list[CaseEvidence]) -> Finding | None:
    """For outputs made of several parts (a dict, a tuple): which parts are wrong and which right."""
    import torch

    wrong: dict[str, None] = {}
    right: dict[str, None] = {}
    for case in cases:
        if case.passed or case.output is None or case.kind not in ("values", "nonfinite"):
            continue
        mine = dict(leaves(case.output))
        for path, ref in leaves(case.reference):
            got = mine.get(path)
            if got is None:
                continue
            a = torch.as_tensor(ref, dtype=torch.float64)
            b = torch.as_tensor(got, dtype=torch.float64) if not isinstance(got, torch.Tensor) else got.double()
            same = a.shape == b.shape and bool(torch.isclose(b, a, atol=case.atol, rtol=case.rtol, equal_nan=True).all())
            (right if same else wrong)[path] = None
    right = {p: None for p in right if p not in wrong}
    if not wrong or not right or len(wrong) + len(right) < 2:
        return None
    shown = ", ".join(list(wrong)[:6]) + (" …" if len(wrong) > 6 else "")
    fine = ", ".join(list(right)[:6]) + (" …" if len(right) > 6 else "")
    return Finding("which-parts", f"Wrong on the failing cases: {shown}; right: {fine}.",
                   f"失败用例中出错的部分：{shown}；正确的部分：{fine}。")
