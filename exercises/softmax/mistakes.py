"""Classic wrong softmaxes, each with the diagnosis it earns."""

from llmprep.exercise_api import Mistake


def no_max_subtraction(x, dim=-1):
    e = x.exp()  # inf for large x: inf / inf = NaN
    return e / e.sum(dim=dim, keepdim=True)


def ignores_dim(x, dim=-1):
    shifted = x - x.amax(dim=-1, keepdim=True)
    e = shifted.exp()
    return e / e.sum(dim=-1, keepdim=True)


def global_max(x, dim=-1):
    e = (x - x.max()).exp()  # rows far below the global max underflow to 0: 0 / 0 = NaN
    return e / e.sum(dim=dim, keepdim=True)


MISTAKES = [
    Mistake(id="no-max-subtraction", implementation=no_max_subtraction,
            en="Looks like you exponentiate x directly: exp overflows to inf for large inputs and inf/inf is NaN. Subtract the maximum along `dim` first.",
            zh="看起来你直接对 x 取了 exp：输入较大时 exp 溢出为 inf，inf/inf 得 NaN。先沿 `dim` 减去最大值。"),
    Mistake(id="ignores-dim", implementation=ignores_dim,
            en="Looks like you always normalize over the last axis and ignore `dim`.",
            zh="看起来你总是在最后一个轴上归一化，忽略了 `dim` 参数。"),
    Mistake(id="global-max", implementation=global_max,
            en="Looks like you subtract one maximum for the whole tensor: rows far below it underflow to all zeros and 0/0 gives NaN. Subtract the maximum along `dim` (keepdim=True).",
            zh="看起来你对整个张量只减去了一个全局最大值：远低于它的行全部下溢为 0，0/0 得 NaN。应沿 `dim` 减去各自的最大值（keepdim=True）。"),
]
