"""Families `lr-schedule` (Noam, warmup + cosine) and `adam-step` (with and without bias correction)."""

from __future__ import annotations

import math

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, make_question, short, vector_text

VASWANI_LR = {"ref": "Vaswani et al. 2017, Attention Is All You Need, §5.3 (the Noam schedule)"}
LOSHCHILOV_SGDR = {"ref": "Loshchilov and Hutter 2017, SGDR: Stochastic Gradient Descent with Warm Restarts, §3 "
                          "(cosine annealing); linear warmup as in Goyal et al. 2017"}
KINGMA = {"ref": "Kingma and Ba 2015, Adam: A Method for Stochastic Optimization, Algorithm 1 and §3"}


def sig(value: float) -> str:
    """Six significant digits: learning rates and Adam moments span many orders of magnitude."""
    return f"{value:.6g}"


def noam_lr(d_model: int, warmup: int, step: int) -> dict:
    """d^-0.5 · min(step^-0.5, step · warmup^-1.5) and its two branches."""
    decay, ramp = step**-0.5, step * warmup**-1.5
    return {"scale": d_model**-0.5, "decay": decay, "ramp": ramp, "lr": d_model**-0.5 * min(decay, ramp)}


def warmup_cosine_lr(peak: float, min_lr: float, warmup: int, total: int, step: int) -> dict:
    """Linear warmup to `peak`, then cosine decay to `min_lr` at `total` (steps counted from 0)."""
    if step < warmup:
        return {"phase": "warmup", "lr": peak * step / warmup}
    progress = (step - warmup) / (total - warmup)
    cosine = math.cos(math.pi * progress)
    return {"phase": "cosine", "progress": progress, "cosine": cosine,
            "lr": min_lr + 0.5 * (peak - min_lr) * (1 + cosine)}


def make_lr_schedule(seed: int) -> Question:
    """The learning rate at step t: Noam (d_model, warmup) or linear warmup + cosine decay."""
    draw = Draw(seed)
    if draw.chance(0.5):
        d_model, warmup = draw.pick([256, 512, 768, 1024]), draw.pick([1000, 2000, 4000, 8000])
        step = warmup if draw.chance(0.2) else draw.integer(1, 3 * warmup)
        parts = noam_lr(d_model, warmup, step)
        phase_en = "still warming up (the ramp is smaller)" if parts["ramp"] < parts["decay"] else \
            "past warmup (the decay is smaller)"
        phase_zh = "仍在预热阶段（线性项更小）" if parts["ramp"] < parts["decay"] else "已过预热（衰减项更小）"
        values = {"s": sig(parts["scale"]), "d": sig(parts["decay"]), "r": sig(parts["ramp"]),
                  "lr": sig(parts["lr"]), "peak": sig(d_model**-0.5 * warmup**-0.5)}
        explanation = {
            "en": (f"d_model^−0.5 = {d_model}^−0.5 = {values['s']}. step^−0.5 = {step}^−0.5 = {values['d']}; "
                   f"step·warmup^−1.5 = {step}·{warmup}^−1.5 = {values['r']}. The minimum is the "
                   f"{'ramp' if parts['ramp'] < parts['decay'] else 'decay'}: step {step} is {phase_en}. "
                   f"lr = {values['s']} × {sig(min(parts['decay'], parts['ramp']))} = {values['lr']}. The peak, at "
                   f"step = warmup, is (d_model·warmup)^−0.5 = {values['peak']}."),
            "zh": (f"d_model^−0.5 = {d_model}^−0.5 = {values['s']}。step^−0.5 = {step}^−0.5 = {values['d']}；"
                   f"step·warmup^−1.5 = {step}·{warmup}^−1.5 = {values['r']}。取较小者：第 {step} 步{phase_zh}。"
                   f"lr = {values['s']} × {sig(min(parts['decay'], parts['ramp']))} = {values['lr']}。"
                   f"峰值在 step = warmup 处，为 (d_model·warmup)^−0.5 = {values['peak']}。"),
        }
        formula = "lr = d_model^−0.5 · min(step^−0.5, step · warmup^−1.5)"
        prompt = {
            "en": f"The Noam schedule {formula} with d_model = {d_model}, warmup = {warmup}. What is lr at step {step}?",
            "zh": f"Noam 学习率调度 {formula}，d_model = {d_model}，warmup = {warmup}。第 {step} 步的 lr 是多少？",
        }
        params = {"schedule": "noam", "d_model": d_model, "warmup": warmup, "step": step}
        sources = [VASWANI_LR]
    else:
        peak = draw.pick([1e-4, 3e-4, 6e-4, 1e-3, 3e-3])
        min_lr = draw.pick([0.0, peak / 10])
        warmup, total = draw.pick([100, 500, 1000, 2000]), draw.pick([10000, 20000, 50000, 100000])
        step = draw.integer(0, warmup - 1) if draw.chance(0.25) else draw.integer(warmup, total)
        parts = warmup_cosine_lr(peak, min_lr, warmup, total, step)
        lr = sig(parts["lr"])
        if parts["phase"] == "warmup":
            explanation = {
                "en": f"Step {step} < warmup {warmup}: linear warmup, lr = peak · step / warmup = {sig(peak)} × "
                      f"{step}/{warmup} = {lr}.",
                "zh": f"第 {step} 步 < warmup {warmup}：线性预热，lr = peak · step / warmup = {sig(peak)} × "
                      f"{step}/{warmup} = {lr}。",
            }
        else:
            progress, cosine = sig(parts["progress"]), sig(parts["cosine"])
            half = sig(0.5 * (peak - min_lr))
            explanation = {
                "en": (f"Step {step} ≥ warmup {warmup}: cosine phase. progress = (step − warmup)/(total − warmup) = "
                       f"{step - warmup}/{total - warmup} = {progress}; cos(π·{progress}) = {cosine}. "
                       f"lr = min_lr + ½(peak − min_lr)(1 + cos) = {sig(min_lr)} + {half} × (1 + {cosine}) = {lr}. "
                       "Halfway through the decay the lr is (peak + min_lr)/2."),
                "zh": (f"第 {step} 步 ≥ warmup {warmup}：余弦阶段。progress = (step − warmup)/(total − warmup) = "
                       f"{step - warmup}/{total - warmup} = {progress}；cos(π·{progress}) = {cosine}。"
                       f"lr = min_lr + ½(peak − min_lr)(1 + cos) = {sig(min_lr)} + {half} × (1 + {cosine}) = {lr}。"
                       "衰减过半时 lr 为 (peak + min_lr)/2。"),
            }
        setting = (f"peak lr {sig(peak)}, min_lr {sig(min_lr)}, warmup {warmup} steps, total {total} steps; "
                   "steps count from 0; warmup: lr = peak·step/warmup; then lr = min_lr + ½(peak − min_lr)"
                   "(1 + cos(π·(step − warmup)/(total − warmup)))")
        setting_zh = (f"峰值 lr {sig(peak)}，min_lr {sig(min_lr)}，预热 {warmup} 步，共 {total} 步；步数从 0 计；"
                      "预热期 lr = peak·step/warmup；之后 lr = min_lr + ½(peak − min_lr)"
                      "(1 + cos(π·(step − warmup)/(total − warmup)))")
        prompt = {
            "en": f"Linear warmup + cosine decay: {setting}. What is lr at step {step}?",
            "zh": f"线性预热 + 余弦衰减：{setting_zh}。第 {step} 步的 lr 是多少？",
        }
        params = {"schedule": "warmup-cosine", "peak_lr": peak, "min_lr": min_lr, "warmup": warmup, "total": total,
                  "step": step}
        sources = [LOSHCHILOV_SGDR]
    return make_question(
        family="lr-schedule", seed=seed, topic="training", difficulty="medium", prompt=prompt,
        answer=parts["lr"], tolerance={"rel": 0.01, "abs": 1e-9}, explanation=explanation, params=params,
        sources=sources,
    )


def adam_steps(theta: list[float], grads: list[list[float]], lr: float, betas: tuple[float, float], eps: float,
               bias_correction: bool) -> list[dict]:
    """Each step's m, v, (m̂, v̂), update and the parameters after it."""
    beta1, beta2 = betas
    param = np.array(theta)
    m, v = np.zeros_like(param), np.zeros_like(param)
    steps = []
    for t, grad in enumerate(grads, 1):
        g = np.array(grad)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t) if bias_correction else m
        v_hat = v / (1 - beta2**t) if bias_correction else v
        update = lr * m_hat / (np.sqrt(v_hat) + eps)
        param = param - update
        steps.append({"t": t, "g": g, "m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat, "update": update,
                      "param": param})
    return steps


def make_adam_step(seed: int) -> Question:
    """One or two Adam steps on 2 parameters, with or without bias correction."""
    draw = Draw(seed)
    theta = draw.vector(2, -1, 1)
    grads = [draw.vector(2, -1, 1, nonzero=True) for _ in range(draw.integer(1, 2))]
    lr, bias_correction = draw.pick([0.1, 0.01]), draw.chance(0.5)
    betas, eps = (0.9, 0.999), 1e-8
    steps = adam_steps(theta, grads, lr, betas, eps, bias_correction)

    def vec(values) -> str:
        return vector_text(values, sig)

    lines_en, lines_zh = [], []
    for s in steps:
        t = s["t"]
        moments = f"m_{t} = 0.9·m_{t - 1} + 0.1·g = {vec(s['m'])}; v_{t} = 0.999·v_{t - 1} + 0.001·g² = {vec(s['v'])}"
        if bias_correction:
            corrected = (f"m̂ = m_{t}/(1 − 0.9^{t}) = {vec(s['m_hat'])}; v̂ = v_{t}/(1 − 0.999^{t}) = "
                         f"{vec(s['v_hat'])}; update = lr·m̂/(√v̂ + ε) = {vec(s['update'])}")
        else:
            corrected = f"no bias correction: update = lr·m/(√v + ε) = {vec(s['update'])}"
        corrected_zh = corrected.replace("no bias correction", "不做偏差修正")
        lines_en.append(f"Step {t}, g = {vector_text(s['g'], short)}: {moments}; {corrected}; θ = {vec(s['param'])}.")
        lines_zh.append(f"第 {t} 步，g = {vector_text(s['g'], short)}：{moments}；{corrected_zh}；θ = {vec(s['param'])}。")
    ratio = (1 - betas[0]) / math.sqrt(1 - betas[1])
    note_en = ("With bias correction the first update is lr·g/|g| = lr·sign(g): the moments start at 0 and "
               "m̂, v̂ undo that." if bias_correction else
               f"Without bias correction the first update is (1 − β₁)/√(1 − β₂) = {sig(ratio)} times lr·sign(g): "
               "m and v are biased towards their zero start.")
    note_zh = ("有偏差修正时第一步更新为 lr·g/|g| = lr·sign(g)：矩估计从 0 开始，m̂、v̂ 抵消了这一偏差。" if bias_correction else
               f"没有偏差修正时第一步更新是 lr·sign(g) 的 (1 − β₁)/√(1 − β₂) = {sig(ratio)} 倍：m 和 v 偏向初值 0。")
    explanation = {"en": "m_0 = v_0 = 0. " + "\n".join(lines_en) + "\n" + note_en,
                   "zh": "m_0 = v_0 = 0。" + "\n".join(lines_zh) + "\n" + note_zh}
    grads_text = "; ".join(f"g_{i} = {vector_text(g, short)}" for i, g in enumerate(grads, 1))
    which_en = "with bias correction (as torch.optim.Adam)" if bias_correction else "without bias correction"
    which_zh = "带偏差修正（即 torch.optim.Adam 的做法）" if bias_correction else "不做偏差修正"
    setting = f"θ_0 = {vector_text(theta, short)}, lr = {short(lr)}, β₁ = 0.9, β₂ = 0.999, ε = 1e-8; {grads_text}"
    prompt = {
        "en": f"Adam {which_en}, starting from m = v = 0: {setting}. What is θ after {len(grads)} step(s)?",
        "zh": f"Adam，{which_zh}，m = v = 0 起步：{setting}。{len(grads)} 步之后 θ 是多少？",
    }
    return make_question(
        family="adam-step", seed=seed, topic="training", difficulty="easy" if len(grads) == 1 else "medium",
        prompt=prompt, answer=steps[-1]["param"].tolist(), tolerance={"abs": lr / 100}, explanation=explanation,
        params={"theta": theta, "grads": grads, "lr": lr, "betas": list(betas), "eps": eps,
                "bias_correction": bias_correction},
        sources=[KINGMA],
    )


register(Family(
    name="lr-schedule", topic="training",
    description={
        "en": "Learning rate at step t. params: schedule (noam | warmup-cosine) with d_model, warmup, step (noam) "
              "or peak_lr, min_lr, warmup, total, step (warmup-cosine). answer: the lr at that step.",
        "zh": "第 t 步的学习率。params：schedule（noam | warmup-cosine），noam 有 d_model、warmup、step；"
              "warmup-cosine 有 peak_lr、min_lr、warmup、total、step。answer：该步的 lr。",
    },
    generate=make_lr_schedule,
))
register(Family(
    name="adam-step", topic="training",
    description={
        "en": "The first one or two Adam updates. params: theta (θ_0), grads (one gradient per step), lr, betas, "
              "eps, bias_correction (bool). answer: θ after the last step (list).",
        "zh": "Adam 的前一两步更新。params：theta（θ_0）、grads（每步一个梯度）、lr、betas、eps、bias_correction（布尔）。"
              "answer：最后一步之后的 θ（列表）。",
    },
    generate=make_adam_step,
))
