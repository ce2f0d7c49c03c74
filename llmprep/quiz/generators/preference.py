"""Families of RL post-training: `grpo-advantage` (group-normalised advantages) and `dpo-loss`."""

from __future__ import annotations

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short, vector_text

SHAO = {"paper": "shao2024", "section": "§4.1.2 Outcome supervision RL with GRPO (Â = (r − mean(r)) / std(r))"}
RAFAILOV = {"paper": "rafailov2023", "section": "§4, Eq. 7 (the DPO objective)"}

# ---------------------------------------------------------------------------------------------
# grpo-advantage


def group_advantages(rewards: list[float]) -> dict:
    """Mean, population std and (r − mean) / std for a group of rewards."""
    r = np.array(rewards, dtype=float)
    mean, std = r.mean(), r.std()
    return {"mean": mean, "std": std, "advantages": (r - mean) / std}


def make_grpo_advantage(seed: int) -> Question:
    """A group of 4-8 rewards, 0/1 (verifiable) or one-decimal scores; asks one sample's advantage."""
    draw = Draw(seed)
    while True:
        size = draw.pick([4, 5, 6, 8])
        binary = draw.chance(0.5)
        rewards = [float(draw.integer(0, 1)) for _ in range(size)] if binary else draw.vector(size, 0, 1)
        if len(set(rewards)) > 1:  # all equal: std 0, no advantage (and no gradient) at all
            break
    index = draw.integer(0, size - 1)
    parts = group_advantages(rewards)
    answer = float(parts["advantages"][index])
    shown = vector_text(rewards, short)
    prompt = {
        "en": (f"GRPO samples a group of {size} answers to one prompt; their rewards are {shown}. With advantage "
               f"(r_i − mean(r)) / std(r), using the population standard deviation (divide by {size}), what is the "
               f"advantage of answer {index + 1}?"),
        "zh": (f"GRPO 对同一个提示采样 {size} 个回答，奖励为 {shown}。优势 = (r_i − mean(r)) / std(r)，"
               f"标准差用总体标准差（除以 {size}），第 {index + 1} 个回答的优势是多少？"),
    }
    explanation = {
        "en": (f"mean = {fixed(parts['mean'])}; std = √(mean of squared deviations) = {fixed(parts['std'])}; "
               f"answer {index + 1}: ({short(rewards[index])} − {fixed(parts['mean'])}) / {fixed(parts['std'])} = "
               f"{fixed(answer)}. All advantages: {vector_text(parts['advantages'])}; they sum to 0, and the group "
               "mean replaces PPO's learned value baseline."),
        "zh": (f"均值 = {fixed(parts['mean'])}；标准差 = √(偏差平方的均值) = {fixed(parts['std'])}；"
               f"第 {index + 1} 个：({short(rewards[index])} − {fixed(parts['mean'])}) / {fixed(parts['std'])} = "
               f"{fixed(answer)}。全部优势：{vector_text(parts['advantages'])}；它们之和为 0，组内均值取代了 PPO 中学习的价值基线。"),
    }
    return make_question(
        family="grpo-advantage", seed=seed, topic="post-training", difficulty="medium", prompt=prompt,
        answer=answer, tolerance={"abs": 0.002}, explanation=explanation,
        params={"rewards": rewards, "index": index, "std": "population"}, sources=[SHAO],
    )


register(Family(
    name="grpo-advantage", topic="post-training",
    description={
        "en": "GRPO's group-normalised advantage of one answer. params: rewards (list), index (0-based), "
              "std (population). answer: (rewards[index] − mean) / std.",
        "zh": "GRPO 中某个回答的组内归一化优势。params：rewards（列表）、index（从 0 计）、std（population，总体标准差）。"
              "answer：(rewards[index] − 均值) / 标准差。",
    },
    generate=make_grpo_advantage,
))

# ---------------------------------------------------------------------------------------------
# dpo-loss


def dpo_parts(policy_chosen: float, ref_chosen: float, policy_rejected: float, ref_rejected: float,
              beta: float) -> dict:
    """Log-ratios, the margin β·(Δ_w − Δ_l), and the loss −log σ(margin) = log(1 + e^−margin)."""
    chosen, rejected = policy_chosen - ref_chosen, policy_rejected - ref_rejected
    margin = beta * (chosen - rejected)
    return {"chosen": chosen, "rejected": rejected, "margin": margin, "loss": float(np.logaddexp(0.0, -margin))}


def make_dpo_loss(seed: int) -> Question:
    """Reference log-probabilities in [−30, −5], the policy within ±3 of them (one decimal); β from 0.1, 0.2, 0.5."""
    draw = Draw(seed)
    beta = draw.pick([0.1, 0.2, 0.5])
    ref_chosen, ref_rejected = draw.vector(2, -30, -5)
    # A policy trained from the reference stays near it; rounding keeps the sums one-decimal numbers.
    policy_chosen = round(ref_chosen + draw.tenths(-3, 3), 1)
    policy_rejected = round(ref_rejected + draw.tenths(-3, 3), 1)
    parts = dpo_parts(policy_chosen, ref_chosen, policy_rejected, ref_rejected, beta)
    values = {"pw": short(policy_chosen), "rw": short(ref_chosen), "pl": short(policy_rejected),
              "rl": short(ref_rejected), "b": short(beta)}
    prompt = {
        "en": ("DPO with β = {b}. Summed log-probabilities: chosen y_w: policy {pw}, reference {rw}; rejected y_l: "
               "policy {pl}, reference {rl}. What is the loss −log σ(β[(log π(y_w) − log π_ref(y_w)) − "
               "(log π(y_l) − log π_ref(y_l))]) in nats?").format(**values),
        "zh": ("DPO，β = {b}。序列对数概率：选中回答 y_w：策略 {pw}，参考 {rw}；被拒回答 y_l：策略 {pl}，参考 {rl}。"
               "损失 −log σ(β[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]) 是多少（nat）？").format(**values),
    }
    steps = {"cw": fixed(parts["chosen"], 1), "cl": fixed(parts["rejected"], 1), "m": fixed(parts["margin"]),
             "loss": fixed(parts["loss"]), **values}
    explanation = {
        "en": ("Log-ratios: y_w {pw} − ({rw}) = {cw}; y_l {pl} − ({rl}) = {cl}. Margin β·({cw} − ({cl})) = {m}. "
               "Loss = −log σ({m}) = log(1 + e^−({m})) = {loss}. At margin 0 (policy = reference) it is ln 2 = 0.6931; "
               "a positive margin means the policy already prefers y_w more than the reference does.").format(**steps),
        "zh": ("对数比：y_w {pw} − ({rw}) = {cw}；y_l {pl} − ({rl}) = {cl}。margin = β·({cw} − ({cl})) = {m}。"
               "损失 = −log σ({m}) = log(1 + e^−({m})) = {loss}。margin 为 0（策略等于参考模型）时为 ln 2 = 0.6931；"
               "margin 为正说明策略比参考模型更偏好 y_w。").format(**steps),
    }
    return make_question(
        family="dpo-loss", seed=seed, topic="post-training", difficulty="medium", prompt=prompt,
        answer=parts["loss"], tolerance={"abs": 0.001}, unit={"en": "nats", "zh": "nat"}, explanation=explanation,
        params={"beta": beta, "policy_chosen": policy_chosen, "ref_chosen": ref_chosen,
                "policy_rejected": policy_rejected, "ref_rejected": ref_rejected},
        sources=[RAFAILOV],
    )


register(Family(
    name="dpo-loss", topic="post-training",
    description={
        "en": "The DPO loss of one preference pair. params: beta, policy_chosen, ref_chosen, policy_rejected, "
              "ref_rejected (summed log-probabilities). answer: −log σ(β·((pc − rc) − (pr − rr))) in nats.",
        "zh": "一个偏好对的 DPO 损失。params：beta、policy_chosen、ref_chosen、policy_rejected、ref_rejected（序列对数概率）。"
              "answer：−log σ(β·((pc − rc) − (pr − rr)))，单位 nat。",
    },
    generate=make_dpo_loss,
))
