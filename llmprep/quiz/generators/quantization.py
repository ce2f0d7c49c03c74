"""Family `int8-quant`: symmetric (absmax) per-tensor int8 quantization of a small vector."""

from __future__ import annotations

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short, vector_text

DETTMERS = {"ref": "Dettmers et al. 2022, LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale, "
                   "§2.1 (absmax quantization)"}
QMAX = 127
ASKS = ("scale", "quantized", "max_error")
# x/scale this close to k + 0.5 is a knife edge: a hand-rounded scale could round it the other way.
MARGIN = 0.01


def int8_parts(x: list[float]) -> dict:
    """scale = max|x|/127, x/scale, q = round(x/scale) (half to even), q·scale and the errors."""
    x_ = np.array(x)
    absmax = np.abs(x_).max()
    scale = absmax / QMAX
    ratios = x_ / scale
    quantized = np.clip(np.round(ratios), -QMAX, QMAX)
    dequantized = quantized * scale
    errors = np.abs(x_ - dequantized)
    return {"absmax": absmax, "scale": scale, "ratios": ratios, "quantized": quantized,
            "dequantized": dequantized, "errors": errors, "max_error": errors.max()}


def make_int8_quant(seed: int) -> Question:
    """4 one-decimal values in [-3, 3]; asks for the scale, the int8 values, or the max error."""
    draw = Draw(seed)
    while True:
        x = draw.vector(4, -3, 3)
        if any(x):
            parts = int8_parts(x)
            distance = np.abs(parts["ratios"] - np.floor(parts["ratios"]) - 0.5)
            if np.all(distance >= MARGIN):
                break
    ask = draw.pick(ASKS)
    scale = fixed(parts["scale"], 6)
    explanation_values = {
        "absmax": fixed(parts["absmax"], 1), "scale": scale, "ratios": vector_text(parts["ratios"]),
        "q": vector_text(parts["quantized"], short), "deq": vector_text(parts["dequantized"], lambda v: fixed(v, 6)),
        "err": vector_text(parts["errors"], lambda v: fixed(v, 6)), "max": fixed(parts["max_error"], 6),
        "half": fixed(parts["scale"] / 2, 6),
    }
    explanation = {
        "en": ("Symmetric (absmax) int8: scale = max|x| / 127 = {absmax} / 127 = {scale}. x / scale = {ratios}; "
               "rounded to the nearest integer (and clipped to [−127, 127]): q = {q}. Dequantized q·scale = {deq}. "
               "Errors |x − q·scale| = {err}; max error = {max} (never more than scale/2 = {half}). The largest "
               "|x| maps exactly to ±127.").format(**explanation_values),
        "zh": ("对称（absmax）int8：scale = max|x| / 127 = {absmax} / 127 = {scale}。x / scale = {ratios}；"
               "四舍五入到最近整数（并截断到 [−127, 127]）：q = {q}。反量化 q·scale = {deq}。"
               "误差 |x − q·scale| = {err}；最大误差 = {max}（不超过 scale/2 = {half}）。绝对值最大的元素恰好映射到 ±127。"
               ).format(**explanation_values),
    }
    question_en = {"scale": "What is the scale?",
                   "quantized": "What are the four int8 values q = round(x / scale)?",
                   "max_error": "What is the largest absolute error |x − q·scale| after dequantizing?"}[ask]
    question_zh = {"scale": "scale 是多少？",
                   "quantized": "四个 int8 值 q = round(x / scale) 分别是多少？",
                   "max_error": "反量化后最大的绝对误差 |x − q·scale| 是多少？"}[ask]
    setting = f"x = {vector_text(x, short)}, scale = max|x| / 127, q = round(x / scale), zero point 0"
    setting_zh = f"x = {vector_text(x, short)}，scale = max|x| / 127，q = round(x / scale)，零点为 0"
    prompt = {
        "en": f"Symmetric per-tensor int8 quantization of {setting}. {question_en}",
        "zh": f"对称的逐张量 int8 量化：{setting_zh}。{question_zh}",
    }
    answer = {"scale": float(parts["scale"]), "quantized": [int(q) for q in parts["quantized"]],
              "max_error": float(parts["max_error"])}[ask]
    # q is an integer: only the exact one is right. The scale and error are small numbers: relative.
    tolerance = {"scale": {"rel": 0.002}, "quantized": {"abs": 0.4},
                 "max_error": {"abs": 5e-5, "rel": 0.02}}[ask]
    return make_question(
        family="int8-quant", seed=seed, topic="efficiency-deployment",
        difficulty="easy" if ask == "scale" else "medium", prompt=prompt, answer=answer, tolerance=tolerance,
        explanation=explanation, params={"x": x, "ask": ask, "qmax": QMAX}, sources=[DETTMERS],
    )


register(Family(
    name="int8-quant", topic="efficiency-deployment",
    description={
        "en": "Symmetric absmax int8 quantization of 4 values. params: x (list), ask (scale | quantized | "
              "max_error), qmax (127). answer: what `ask` names: the scale max|x|/127, the int8 values "
              "round(x/scale) (list), or the max |x − q·scale|.",
        "zh": "4 个值的对称 absmax int8 量化。params：x（列表）、ask（scale | quantized | max_error）、qmax（127）。"
              "answer：ask 指定的量：scale = max|x|/127、int8 值 round(x/scale)（列表）或最大误差 max |x − q·scale|。",
    },
    generate=make_int8_quant,
))
