"""Classic wrong feed-forward networks, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def _linear(x, w, b):
    y = x @ w.T
    return y if b is None else y + b


def _relu(h):
    return torch.where(h > 0, h, torch.zeros_like(h))


def _hidden(x, w1, b1, activation, w3, b3, gelu=None, swap_gate=False):
    h = _linear(x, w1, b1)
    if activation == "relu":
        return _relu(h)
    if activation == "gelu":
        return (gelu or (lambda z: 0.5 * z * (1 + torch.erf(z / math.sqrt(2)))))(h)
    up = _linear(x, w3, b3)
    if swap_gate:
        h, up = up, h
    return h * torch.sigmoid(h) * up


def relu_after_second_linear(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    # 004 815: ReLU(W₂ ReLU(W₁x + b₁)), written with nn.Linear-style biases
    return _relu(_linear(_hidden(x, w1, b1, activation, w3, b3), w2, b2))


def relu_only_after_second_linear(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    # 002 341: ReLU(Linear₂(Linear₁(x))): nothing between the two linears
    return _relu(_linear(_linear(x, w1, b1), w2, b2))


def missing_b2(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    return _linear(_hidden(x, w1, b1, activation, w3, b3), w2, None)


def tanh_gelu(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    def approximate(z):
        return 0.5 * z * (1 + torch.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3)))

    return _linear(_hidden(x, w1, b1, activation, w3, b3, gelu=approximate), w2, b2)


def swiglu_gate_swapped(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    return _linear(_hidden(x, w1, b1, activation, w3, b3, swap_gate=True), w2, b2)


MISTAKES = [
    Mistake(id="relu-after-second-linear", implementation=relu_after_second_linear,
            en="Looks like you apply a ReLU after the second linear layer, as 004 815 writes it: the FFN is "
                  "W₂·act(W₁x + b₁) + b₂, with nothing after W₂ (its outputs can be negative).",
            zh="看起来你像 004 815 那样在第二个线性层之后又加了 ReLU：FFN 是 W₂·act(W₁x + b₁) + b₂，"
                  "W₂ 之后什么也没有（输出可以是负数）。"),
    Mistake(id="relu-only-after-second-linear", implementation=relu_only_after_second_linear,
            en="Looks like you apply the activation only after the second linear layer, as 002 341 writes it "
                  "(ReLU(Linear₂(Linear₁(x)))): the activation goes between the two linears, W₂·act(W₁x + b₁) + b₂.",
            zh="看起来你像 002 341 那样只在第二个线性层之后加激活（ReLU(Linear₂(Linear₁(x)))）："
                  "激活函数应在两个线性层之间，W₂·act(W₁x + b₁) + b₂。"),
    Mistake(id="missing-b2", implementation=missing_b2,
            en="Looks like you left out b₂, the bias of the second linear layer: W₂·act(W₁x + b₁) + b₂.",
            zh="看起来你漏掉了第二个线性层的偏置 b₂：W₂·act(W₁x + b₁) + b₂。"),
    Mistake(id="tanh-gelu", implementation=tanh_gelu,
            en="Looks like you used the tanh approximation of GELU: this exercise asks for the exact GELU, "
                  "h·Φ(h) = 0.5·h·(1 + erf(h/√2)) (F.gelu's default, approximate='none').",
            zh="看起来你用了 GELU 的 tanh 近似：本题要求精确的 GELU，h·Φ(h) = 0.5·h·(1 + erf(h/√2))"
                  "（即 F.gelu 的默认值 approximate='none'）。"),
    Mistake(id="swiglu-gate-swapped", implementation=swiglu_gate_swapped,
            en="Looks like SiLU is applied to W₃x + b₃: in this exercise W₁ is the gate, "
                  "SwiGLU = SiLU(W₁x + b₁) ⊙ (W₃x + b₃).",
            zh="看起来你把 SiLU 用在了 W₃x + b₃ 上：本题中 W₁ 是门控，SwiGLU = SiLU(W₁x + b₁) ⊙ (W₃x + b₃)。"),
]
