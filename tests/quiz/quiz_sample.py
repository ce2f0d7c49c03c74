"""Test data for the quiz tests: a small bank with one question of each type, and a test-only generator family."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

ATTENTION = """\
- id: attention-why-sqrt-dk
  topic: attention
  type: choice
  difficulty: medium
  prompt:
    en: Why does scaled dot-product attention divide QKᵀ by √d_k?
    zh: 缩放点积注意力为什么要把 QKᵀ 除以 √d_k？
  choices:
    - {en: To make the output a probability distribution, zh: 为了让输出成为概率分布}
    - {en: To keep the logits' variance near 1 so softmax does not saturate, zh: 让 logits 方差保持在 1 附近，避免 softmax 饱和}
    - {en: To save memory, zh: 为了节省显存}
    - {en: Because d_k is the sequence length, zh: 因为 d_k 是序列长度}
  answer: 1
  explanation:
    en: For unit-variance components q·k has variance d_k.
    zh: 若分量方差为 1，q·k 的方差为 d_k。
  sources:
    - doc: 001_e176a02f6f49a843.txt
      lines: [225, 231]
    - ref: "Vaswani et al. 2017, §3.2.1"
  source_error:
    en: The document never says why.
    zh: 原文没有解释原因。
- id: attention-dog-weight
  topic: attention
  type: numeric
  difficulty: hard
  prompt:
    en: What weight does "dog" give itself?
    zh: “dog” 给自己的权重是多少？
  answer: 0.3333333333333333
  tolerance: {abs: 0.001}
  fraction: true
  explanation:
    en: All three scores are equal.
    zh: 三个分数相等。
  sources:
    - doc: 001_e176a02f6f49a843.txt
      lines: [247, 253]
- id: attention-masks
  topic: attention
  type: multi
  difficulty: easy
  prompt:
    en: Which masks are added to attention logits?
    zh: 哪些掩码加在注意力 logits 上？
  choices:
    - {en: causal mask, zh: 因果掩码}
    - {en: padding mask, zh: 填充掩码}
    - {en: dropout mask on the values, zh: 作用于 V 的 dropout 掩码}
  answer: [0, 1]
  explanation:
    en: Both are -inf where attention is not allowed.
    zh: 两者都在不允许关注的位置取 -inf。
  sources:
    - ref: "Vaswani et al. 2017"
"""

TRAINING = """\
- id: training-steps-order
  topic: training
  type: order
  difficulty: easy
  prompt:
    en: Put one training step in order.
    zh: 把一个训练步骤排好顺序。
  choices:
    - {en: optimizer.step(), zh: optimizer.step()}
    - {en: optimizer.zero_grad(), zh: optimizer.zero_grad()}
    - {en: loss.backward(), zh: loss.backward()}
  answer: [1, 2, 0]
  explanation:
    en: Clear, backprop, step.
    zh: 先清零，再反传，再更新。
  sources:
    - ref: "PyTorch docs"
- id: training-adamw
  topic: training
  type: short
  difficulty: medium
  prompt:
    en: How does AdamW differ from Adam with L2?
    zh: AdamW 和带 L2 的 Adam 有什么区别？
  answer:
    en: AdamW decouples weight decay from the gradient-based update.
    zh: AdamW 把权重衰减与梯度更新解耦。
  accept:
    en: [[decoupl, separate], [weight decay]]
    zh: [[解耦, 分离], [权重衰减, weight decay]]
  explanation:
    en: L2 in Adam is rescaled by the adaptive denominator.
    zh: Adam 中的 L2 会被自适应分母缩放。
  sources:
    - ref: "Loshchilov & Hutter 2019"
- id: training-why-warmup
  topic: training
  type: short
  difficulty: hard
  prompt:
    en: Why warm up the learning rate?
    zh: 为什么要学习率预热？
  answer:
    en: Early Adam statistics are noisy; small steps avoid divergence.
    zh: 早期 Adam 统计量噪声大，小步长避免发散。
  explanation:
    en: The second-moment estimate is unreliable for the first steps.
    zh: 前几步二阶矩估计不可靠。
  sources:
    - ref: "Liu et al. 2020"
"""


def write_bank(directory: Path, files: dict[str, str] | None = None) -> Path:
    """A bank directory: the real sources.yaml plus the given topic files (default: the sample)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "questions" / "sources.yaml", directory / "sources.yaml")
    for name, text in (files if files is not None else {"attention": ATTENTION, "training": TRAINING}).items():
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


def make_toy_question(seed: int):
    """A test-only generator family: softmax of two logits; odd seeds ask a multi question instead."""
    import math
    import random

    from llmprep.quiz.question import parse_question

    rng = random.Random(seed)
    a, b = rng.randint(-3, 3), rng.randint(-3, 3)
    common = {
        "id": f"gen:toy-softmax:{seed}", "topic": "attention", "difficulty": "easy",
        "family": "toy-softmax", "params": {"a": a, "b": b},
        "explanation": {"en": "softmax is exp(a) / (exp(a) + exp(b)).", "zh": "softmax 为 exp(a)/(exp(a)+exp(b))。"},
        "sources": [{"ref": "test family"}],
    }
    if seed % 2:
        return parse_question({**common, "type": "multi",
                               "prompt": {"en": "Which of these are probabilities?", "zh": "下列哪些是概率？"},
                               "choices": [{"en": "0.5", "zh": "0.5"}, {"en": "1.0", "zh": "1.0"},
                                           {"en": "-1", "zh": "-1"}],
                               "answer": [0, 1]})
    value = math.exp(a) / (math.exp(a) + math.exp(b))
    return parse_question({**common, "type": "numeric",
                           "prompt": {"en": f"softmax([{a}, {b}])[0] = ?", "zh": f"softmax([{a}, {b}])[0] 等于多少？"},
                           "answer": value, "tolerance": {"abs": 1e-3}, "fraction": True})
