"""Classic wrong embeddings, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def e_times_x(ids, weight, scale=False):
    # h = E·x with x one-hot over the vocabulary (001 205-219, 002 282-312): only type-checks when
    # d_model = V, and then it reads a column of E, not a row.
    V = weight.shape[0]
    one_hot = torch.nn.functional.one_hot(ids, V).to(weight.dtype)  # ids.shape + (V,)
    out = torch.einsum("vd,...d->...v", weight, one_hot)
    return out * math.sqrt(weight.shape[1]) if scale else out


def scaled_by_d_model(ids, weight, scale=False):
    return weight[ids] * weight.shape[1] if scale else weight[ids]


def divided_by_sqrt_d_model(ids, weight, scale=False):
    return weight[ids] / math.sqrt(weight.shape[1]) if scale else weight[ids]


def scaled_by_sqrt_vocab(ids, weight, scale=False):
    return weight[ids] * math.sqrt(weight.shape[0]) if scale else weight[ids]


MISTAKES = [
    Mistake(id="e-times-x", implementation=e_times_x,
            en="Looks like you computed E·x with a one-hot x, as the documents write it (001 205-219, 002 282-312): "
                  "with E of shape (V, d_model) that only fits when V = d_model, and then it picks a column. "
                  "The embedding of token i is row i, E[i] = Eᵀx.",
            zh="看起来你照文档（001 205-219、002 282-312）的写法用独热向量 x 计算了 E·x：E 的形状是 (V, d_model)，"
                  "只有 V = d_model 时才能相乘，而且取出的是一列。词元 i 的嵌入是第 i 行，E[i] = Eᵀx。"),
    Mistake(id="scaled-by-d-model", implementation=scaled_by_d_model,
            en="Looks like scale=True multiplies by d_model: the factor is √d_model.",
            zh="看起来 scale=True 时你乘的是 d_model：应乘以 √d_model。"),
    Mistake(id="divided-by-sqrt-d-model", implementation=divided_by_sqrt_d_model,
            en="Looks like scale=True divides by √d_model: the embeddings are multiplied by √d_model "
                  "(Vaswani et al. 2017, section 3.4).",
            zh="看起来 scale=True 时你除以了 √d_model：嵌入应乘以 √d_model（Vaswani 等 2017，第 3.4 节）。"),
    Mistake(id="scaled-by-sqrt-vocab", implementation=scaled_by_sqrt_vocab,
            en="Looks like scale=True multiplies by √V, the vocabulary size weight.size(0): the factor is √d_model, "
                  "d_model = weight.size(1).",
            zh="看起来 scale=True 时你乘的是 √V（词表大小 weight.size(0)）：应乘以 √d_model，d_model = weight.size(1)。"),
]
