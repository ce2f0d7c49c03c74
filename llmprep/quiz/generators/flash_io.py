"""Family `flash-attention-io`: HBM reads and writes of standard attention vs FlashAttention (Algorithm 1)."""

from __future__ import annotations

import math

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, grouped, make_question

DAO = {"paper": "dao2022", "section": "§2.2 Algorithm 0 (standard attention) and §3.1 Algorithm 1 (block sizes "
                                     "B_c = ⌈M/4d⌉, B_r = min(⌈M/4d⌉, d)); Theorem 2 (IO complexity)"}


def attention_io(n: int, d: int, sram: int) -> dict:
    """HBM element accesses. Standard: read Q, K; write S; read S, write P; read P, V; write O = 4Nd + 4N².
    FlashAttention Algorithm 1: read each K_j, V_j once (2Nd); for each of the T_c key blocks, read Q_i, O_i,
    ℓ_i, m_i and write O_i, ℓ_i, m_i for every query block (3Nd + 4N)."""
    block_c = math.ceil(sram / (4 * d))
    block_r = min(block_c, d)
    t_c = math.ceil(n / block_c)
    standard = 4 * n * d + 4 * n * n
    flash = 2 * n * d + t_c * (3 * n * d + 4 * n)
    return {"block_c": block_c, "block_r": block_r, "t_c": t_c, "t_r": math.ceil(n / block_r),
            "standard": standard, "flash": flash, "ratio": standard / flash}


def make_flash_attention_io(seed: int) -> Question:
    """N from 1024..16384, d 64 or 128, on-chip SRAM M of 16K..128K elements; asks one count or the ratio."""
    draw = Draw(seed)
    n = draw.pick([1024, 2048, 4096, 8192, 16384])
    d = draw.pick([64, 128])
    # Algorithm 1 saves traffic only when B_c = ⌈M/4d⌉ is large against d (ratio ≈ 4·B_c / 3d for long N):
    # keep M ≥ 4d², as on real GPUs (an A100 SM has 192 KB of shared memory, ~98K fp16 elements).
    sram = draw.pick([m for m in (16384, 32768, 49152, 65536, 98304, 131072) if m >= 4 * d * d])
    ask = draw.pick(["standard", "flash", "ratio"])
    parts = attention_io(n, d, sram)
    answer = parts[ask] / 1e6 if ask != "ratio" else parts["ratio"]
    setting = (f"one head, sequence length N = {n}, head dimension d = {d}, on-chip SRAM of M = {grouped(sram)} "
               "elements; count elements read from or written to HBM (ignore the initialisation of O, ℓ, m)")
    setting_zh = (f"单个头，序列长度 N = {n}，头维度 d = {d}，片上 SRAM 容量 M = {grouped(sram)} 个元素；"
                  "统计从 HBM 读取或写入的元素个数（不计 O、ℓ、m 的初始化）")
    asked = {"standard": ("How many HBM element accesses (in millions) does standard attention (materialising S and P) make?",
                          "标准注意力（把 S 和 P 存入 HBM）访问 HBM 多少个元素（单位：百万）？"),
             "flash": ("How many HBM element accesses (in millions) does FlashAttention's Algorithm 1 make?",
                       "FlashAttention 的算法 1 访问 HBM 多少个元素（单位：百万）？"),
             "ratio": ("By what factor does FlashAttention's Algorithm 1 reduce HBM element accesses compared with standard "
                       "attention (standard / flash)?", "与标准注意力相比，FlashAttention 的算法 1 把 HBM 访问量减少为几分之一（标准 / flash）？")}[ask]
    prompt = {"en": f"Attention IO: {setting}. {asked[0]}", "zh": f"注意力的访存量：{setting_zh}。{asked[1]}"}
    values = {"n": n, "d": d, "bc": parts["block_c"], "br": parts["block_r"], "tc": parts["t_c"],
              "std": grouped(parts["standard"]), "fl": grouped(parts["flash"]), "ratio": fixed(parts["ratio"], 3),
              "m": grouped(sram)}
    explanation = {
        "en": ("Standard: read Q, K (2Nd), write S (N²), read S and write P (2N²), read P and V (N² + Nd), write O (Nd): "
               "4Nd + 4N² = {std}. FlashAttention: B_c = ⌈{m}/(4·{d})⌉ = {bc}, B_r = min({bc}, {d}) = {br}, "
               "T_c = ⌈{n}/{bc}⌉ = {tc}. K and V are read once (2Nd); for each of the {tc} key blocks every query "
               "block reads Q_i, O_i, ℓ_i, m_i and writes O_i, ℓ_i, m_i (3Nd + 4N): 2Nd + {tc}·(3Nd + 4N) = {fl}. "
               "Ratio {ratio}: the N² terms are gone, replaced by Θ(N²d²/M).").format(**values),
        "zh": ("标准注意力：读 Q、K（2Nd），写 S（N²），读 S 写 P（2N²），读 P 和 V（N² + Nd），写 O（Nd）：4Nd + 4N² = {std}。"
               "FlashAttention：B_c = ⌈{m}/(4·{d})⌉ = {bc}，B_r = min({bc}, {d}) = {br}，T_c = ⌈{n}/{bc}⌉ = {tc}。"
               "K、V 只读一次（2Nd）；对 {tc} 个键块中的每一个，每个查询块都要读 Q_i、O_i、ℓ_i、m_i 并写回 O_i、ℓ_i、m_i"
               "（3Nd + 4N）：2Nd + {tc}·(3Nd + 4N) = {fl}。比值 {ratio}：N² 项消失了，换成了 Θ(N²d²/M)。").format(**values),
    }
    return make_question(
        family="flash-attention-io", seed=seed, topic="long-context", difficulty="hard", prompt=prompt,
        answer=answer, tolerance={"rel": 0.002},
        unit=None if ask == "ratio" else {"en": "million elements", "zh": "百万个元素"},
        explanation=explanation, params={"n": n, "d": d, "sram": sram, "ask": ask}, sources=[DAO],
    )


register(Family(
    name="flash-attention-io", topic="long-context",
    description={
        "en": "HBM element accesses of standard attention (4Nd + 4N²) vs FlashAttention Algorithm 1 "
              "(2Nd + T_c·(3Nd + 4N), T_c = ⌈N/⌈M/4d⌉⌉). params: n, d, sram (M, elements), ask (standard | flash | "
              "ratio). answer: the count in millions, or standard / flash.",
        "zh": "标准注意力（4Nd + 4N²）与 FlashAttention 算法 1（2Nd + T_c·(3Nd + 4N)，T_c = ⌈N/⌈M/4d⌉⌉）的 HBM 访问元素数。"
              "params：n、d、sram（M，元素个数）、ask（standard | flash | ratio）。answer：以百万计的访问量，或 标准 / flash。",
    },
    generate=make_flash_attention_io,
))
