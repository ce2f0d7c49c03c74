"""Families that size a model: `param-count`, `kv-cache-memory` and `training-flops`."""

from __future__ import annotations

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, grouped, make_question, scientific, short

VASWANI = {"ref": "Vaswani et al. 2017, Attention Is All You Need, §3.2.2-3.3 (multi-head attention, FFN)"}
GPT2 = {"ref": "Radford et al. 2019, Language Models are Unsupervised Multitask Learners (GPT-2: 124M = "
               "12 layers, d_model 768, vocab 50257, context 1024, tied embeddings)"}
AINSLIE = {"ref": "Ainslie et al. 2023, GQA: Training Generalized Multi-Query Transformer Models, §2"}
SHAZEER = {"ref": "Shazeer 2020, GLU Variants Improve Transformer (SwiGLU FFN, three matrices)"}
POPE = {"ref": "Pope et al. 2022, Efficiently Scaling Transformer Inference, §3.1 (KV cache size)"}
KAPLAN = {"ref": "Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1 (C ≈ 6ND)"}
CHOWDHERY = {"ref": "Chowdhery et al. 2022, PaLM, Appendix B (model FLOPs utilization, MFU)"}

# ---------------------------------------------------------------------------------------------
# param-count


def mha_count(d_model: int, n_heads: int, n_kv_heads: int, bias: bool) -> dict:
    """Parameters of W_Q, W_K, W_V, W_O (with K and V shared by groups of heads under GQA)."""
    head_dim = d_model // n_heads
    kv_width = n_kv_heads * head_dim
    parts = {"W_Q": d_model * d_model + (d_model if bias else 0),
             "W_K": d_model * kv_width + (kv_width if bias else 0),
             "W_V": d_model * kv_width + (kv_width if bias else 0),
             "W_O": d_model * d_model + (d_model if bias else 0)}
    return {"head_dim": head_dim, "kv_width": kv_width, "parts": parts, "total": sum(parts.values())}


def ffn_count(d_model: int, d_ff: int, activation: str, bias: bool) -> dict:
    """Parameters of the feed-forward network: two matrices (GELU/ReLU) or three (SwiGLU)."""
    if activation == "swiglu":
        parts = {"W_gate": d_model * d_ff, "W_up": d_model * d_ff, "W_down": d_ff * d_model}
    else:
        parts = {"W_1": d_model * d_ff + (d_ff if bias else 0), "W_2": d_ff * d_model + (d_model if bias else 0)}
    return {"parts": parts, "total": sum(parts.values())}


def block_count(d_model: int, n_heads: int, d_ff: int) -> dict:
    """A GPT-2 style block: two LayerNorms (γ, β), MHA with biases, GELU FFN with biases."""
    attention = mha_count(d_model, n_heads, n_heads, True)["total"]
    ffn = ffn_count(d_model, d_ff, "gelu", True)["total"]
    parts = {"LayerNorm 1": 2 * d_model, "attention": attention, "LayerNorm 2": 2 * d_model, "FFN": ffn}
    return {"parts": parts, "total": sum(parts.values())}


def gpt_count(vocab: int, n_ctx: int, d_model: int, n_layers: int, n_heads: int, tied: bool = True) -> dict:
    """A GPT-2 style model: token and learned position embeddings, blocks, final LayerNorm, and an output
    head that is tied to the token embedding (no parameters of its own) or untied (vocab × d_model, no bias)."""
    block = block_count(d_model, n_heads, 4 * d_model)["total"]
    head = ("output head (tied)", 0) if tied else ("output head (untied)", vocab * d_model)
    parts = {"token embedding": vocab * d_model, "position embedding": n_ctx * d_model,
             "blocks": n_layers * block, "final LayerNorm": 2 * d_model, head[0]: head[1]}
    return {"block": block, "parts": parts, "total": sum(parts.values())}


PART_NAMES_ZH = {"attention": "注意力", "FFN": "FFN", "token embedding": "token 嵌入",
                 "position embedding": "位置嵌入", "blocks": "各层", "final LayerNorm": "最后的 LayerNorm",
                 "output head (tied)": "输出层（共享）", "output head (untied)": "输出层（不共享）"}


def _sum_text(parts: dict[str, int], lang: str = "en") -> str:
    names = {name: PART_NAMES_ZH.get(name, name) if lang == "zh" else name for name in parts}
    return " + ".join(f"{names[name]} {grouped(value)}" for name, value in parts.items())


GPT_CONFIGS = [  # (vocab, n_ctx, d_model, n_layers, n_heads); the first two are GPT-2 small and medium
    (50257, 1024, 768, 12, 12), (50257, 1024, 1024, 24, 16), (32000, 2048, 512, 8, 8),
    (32000, 1024, 384, 6, 6), (50304, 1024, 768, 12, 12), (32768, 2048, 1024, 16, 16),
    (16384, 512, 256, 4, 4), (50257, 2048, 640, 10, 10),
]


def make_param_count(seed: int) -> Question:
    """Parameters of MHA/GQA, an FFN, a GPT-2 block, or a GPT-2 style model from its config."""
    draw = Draw(seed)
    variant = draw.pick(["mha", "ffn", "block", "gpt"])
    if variant == "mha":
        d_model = draw.pick([256, 512, 768, 1024, 2048, 4096])
        n_heads = draw.pick([h for h in (4, 8, 12, 16, 32) if d_model % h == 0 and d_model // h >= 32])
        n_kv_heads = draw.pick([n_heads] + [g for g in (1, 2, 4, 8) if g < n_heads and n_heads % g == 0])
        bias = draw.chance(0.5)
        count = mha_count(d_model, n_heads, n_kv_heads, bias)
        params = {"variant": variant, "d_model": d_model, "n_heads": n_heads, "n_kv_heads": n_kv_heads, "bias": bias}
        kind = "multi-head attention" if n_kv_heads == n_heads else f"grouped-query attention ({n_kv_heads} KV heads)"
        kind_zh = "多头注意力" if n_kv_heads == n_heads else f"分组查询注意力（{n_kv_heads} 个 KV 头）"
        setup = (f"d_model = {d_model}, {n_heads} query heads, {n_kv_heads} key/value heads, "
                 f"{'with' if bias else 'without'} biases")
        setup_zh = (f"d_model = {d_model}，{n_heads} 个 query 头，{n_kv_heads} 个 key/value 头，"
                    f"{'有' if bias else '无'}偏置")
        asked = {"en": f"How many parameters does one {kind} layer (W_Q, W_K, W_V, W_O) have? {setup}.",
                 "zh": f"一层{kind_zh}（W_Q、W_K、W_V、W_O）有多少参数？{setup_zh}。"}
        b = " + bias" if bias else ""
        hd, kv, total = count["head_dim"], count["kv_width"], grouped(count["total"])
        explanation = {
            "en": (f"head_dim = {d_model}/{n_heads} = {hd}; K and V are {n_kv_heads}·{hd} = {kv} wide. "
                   f"W_Q: {d_model}×{d_model}{b}; W_K, W_V: {d_model}×{kv}{b} each; W_O: {d_model}×{d_model}{b}. "
                   f"{_sum_text(count['parts'])} = {total}. With n_kv_heads = n_heads this is 4·d² (+ 4·d), "
                   "independent of the number of heads."),
            "zh": (f"head_dim = {d_model}/{n_heads} = {hd}；K 和 V 的宽度为 {n_kv_heads}·{hd} = {kv}。"
                   f"W_Q：{d_model}×{d_model}{b}；W_K、W_V 各 {d_model}×{kv}{b}；W_O：{d_model}×{d_model}{b}。"
                   f"{_sum_text(count['parts'], 'zh')} = {total}。当 n_kv_heads = n_heads 时为 4·d²（+ 4·d），与头数无关。"),
        }
        sources = [VASWANI] if n_kv_heads == n_heads else [VASWANI, AINSLIE]
    elif variant == "ffn":
        d_model = draw.pick([256, 512, 768, 1024, 4096])
        activation = draw.pick(["gelu", "swiglu"])
        if activation == "swiglu":
            d_ff, bias = draw.pick([d_model * 8 // 3 // 64 * 64, 4 * d_model]), False
        else:
            d_ff, bias = 4 * d_model, draw.chance(0.7)
        count = ffn_count(d_model, d_ff, activation, bias)
        params = {"variant": variant, "d_model": d_model, "d_ff": d_ff, "activation": activation, "bias": bias}
        form = ("W_down·(SiLU(W_gate·x) ⊙ W_up·x)" if activation == "swiglu" else "W_2·GELU(W_1·x + b_1) + b_2")
        setup = f"d_model = {d_model}, d_ff = {d_ff}, {'with' if bias else 'without'} biases"
        setup_zh = f"d_model = {d_model}，d_ff = {d_ff}，{'有' if bias else '无'}偏置"
        asked = {"en": f"How many parameters does the feed-forward network {form} have? {setup}.",
                 "zh": f"前馈网络 {form} 有多少参数？{setup_zh}。"}
        steps = f"{_sum_text(count['parts'])} = {grouped(count['total'])}。"
        if activation == "swiglu":
            explanation = {"en": f"SwiGLU has three {d_model}×{d_ff} matrices: {steps[:-1]}.",
                           "zh": f"SwiGLU 有三个 {d_model}×{d_ff} 矩阵：{steps}"}
            sources = [SHAZEER]
        else:
            explanation = {"en": f"Two matrices {d_model}×{d_ff} and {d_ff}×{d_model}"
                                 f"{' plus biases of size d_ff and d_model' if bias else ''}: {steps[:-1]}.",
                           "zh": f"两个矩阵 {d_model}×{d_ff} 与 {d_ff}×{d_model}"
                                 f"{'，加上长度为 d_ff 和 d_model 的偏置' if bias else ''}：{steps}"}
            sources = [VASWANI]
    elif variant == "block":
        d_model = draw.pick([256, 512, 768, 1024, 1600])
        n_heads = draw.pick([h for h in (4, 8, 16, 25) if d_model % h == 0])
        d_ff = 4 * d_model
        count = block_count(d_model, n_heads, d_ff)
        params = {"variant": variant, "d_model": d_model, "n_heads": n_heads, "d_ff": d_ff}
        asked = {"en": (f"How many parameters does one GPT-2 style Transformer block have? d_model = {d_model}, "
                        f"{n_heads} heads, d_ff = {d_ff}; two LayerNorms (γ and β), attention and FFN with biases."),
                 "zh": (f"一个 GPT-2 式 Transformer 块有多少参数？d_model = {d_model}，{n_heads} 个头，d_ff = {d_ff}；"
                        "两个 LayerNorm（γ 和 β），注意力和 FFN 均有偏置。")}
        total = grouped(count["total"])
        explanation = {"en": f"{_sum_text(count['parts'])} = {total}. In general 12·d² + 13·d for d_ff = 4d.",
                       "zh": f"{_sum_text(count['parts'], 'zh')} = {total}。d_ff = 4d 时一般为 12·d² + 13·d。"}
        sources = [VASWANI, GPT2]
    else:
        vocab, n_ctx, d_model, n_layers, n_heads = draw.pick(GPT_CONFIGS)
        tied = draw.chance(0.5)  # GPT-2 ties its head; many later models (e.g. LLaMA) do not
        count = gpt_count(vocab, n_ctx, d_model, n_layers, n_heads, tied)
        params = {"variant": variant, "vocab": vocab, "n_ctx": n_ctx, "d_model": d_model, "n_layers": n_layers,
                  "n_heads": n_heads, "d_ff": 4 * d_model, "tied_embeddings": tied}
        config = (f"vocab = {vocab}, context = {n_ctx}, d_model = {d_model}, {n_layers} layers, {n_heads} heads, "
                  f"d_ff = {4 * d_model}")
        head_en = ("the output head tied to the token embedding" if tied
                   else "an untied output head (its own vocab × d_model matrix, no bias)")
        head_zh = "输出层与 token 嵌入共享权重" if tied else "输出层不共享权重（单独一个 vocab × d_model 矩阵，无偏置）"
        asked = {"en": (f"How many parameters does a GPT-2 style model have? {config}; learned position embeddings, "
                        f"biases everywhere, a final LayerNorm, and {head_en}."),
                 "zh": (f"一个 GPT-2 式模型有多少参数？{config}；可学习的位置嵌入，各处均有偏置，最后有一个 LayerNorm，"
                        f"{head_zh}。")}
        block, blocks, total = grouped(count["block"]), grouped(count["parts"]["blocks"]), grouped(count["total"])
        explanation = {
            "en": (f"{_sum_text(count['parts'])}, where one block is 12·{d_model}² + 13·{d_model} = {block} and "
                   f"{n_layers} blocks are {blocks}; total {total}. "
                   + ("Tying the head saves vocab·d_model parameters." if tied else
                      f"Untied, the head adds vocab·d_model = {grouped(vocab * d_model)}; tying would save them.")),
            "zh": (f"{_sum_text(count['parts'], 'zh')}，其中每层 12·{d_model}² + 13·{d_model} = {block}，{n_layers} 层共 "
                   f"{blocks}；总计 {total}。"
                   + ("输出层共享权重省去 vocab·d_model 个参数。" if tied else
                      f"不共享时输出层多出 vocab·d_model = {grouped(vocab * d_model)} 个参数；共享即可省去。")),
        }
        sources = [GPT2]
    prompt = {"en": asked["en"] + " Give the exact count.", "zh": asked["zh"] + "请给出精确数目。"}
    difficulty = {"mha": "easy", "ffn": "easy", "block": "medium", "gpt": "hard"}[variant]
    return make_question(
        family="param-count", seed=seed, topic="transformer-block", difficulty=difficulty, prompt=prompt,
        answer=count["total"], tolerance={"abs": 0.5}, explanation=explanation, params=params, sources=sources,
    )


# ---------------------------------------------------------------------------------------------
# kv-cache-memory

KV_MODELS = {  # name: (layers, KV heads, head_dim), from each model's published config.json
    "Llama-2-7B": (32, 32, 128), "Llama-2-13B": (40, 40, 128), "Llama-2-70B": (80, 8, 128),
    "Llama-3-8B": (32, 8, 128), "Llama-3-70B": (80, 8, 128), "Mistral-7B": (32, 8, 128),
    "Qwen2-7B": (28, 4, 128), "Falcon-7B": (32, 1, 64), "GPT-2 XL": (48, 25, 64),
}
DTYPE_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2, "fp8": 1, "int8": 1}
GIB = 2**30


def kv_cache_parts(layers: int, kv_heads: int, head_dim: int, seq_len: int, batch: int, nbytes: int) -> dict:
    """Bytes per token (2·L·kv·hd·bytes), tokens cached (seq·batch), total bytes and GiB."""
    per_token = 2 * layers * kv_heads * head_dim * nbytes
    tokens = seq_len * batch
    total = per_token * tokens
    return {"per_token": per_token, "tokens": tokens, "bytes": total, "gib": total / GIB}


def make_kv_cache_memory(seed: int) -> Question:
    """KV cache of a real model's shape, a sequence of 1k-32k tokens, batch 1-64, a named dtype."""
    draw = Draw(seed)
    model = draw.pick(list(KV_MODELS))
    layers, kv_heads, head_dim = KV_MODELS[model]
    seq_len, batch = draw.pick([1024, 2048, 4096, 8192, 32768]), draw.pick([1, 4, 8, 16, 32, 64])
    dtype = draw.pick(list(DTYPE_BYTES))
    nbytes = DTYPE_BYTES[dtype]
    parts = kv_cache_parts(layers, kv_heads, head_dim, seq_len, batch, nbytes)
    per_token, tokens, total = grouped(parts["per_token"]), grouped(parts["tokens"]), grouped(parts["bytes"])
    gib, gb = fixed(parts["gib"]), fixed(parts["bytes"] / 1e9)
    explanation = {
        "en": (f"2 (K and V) × {layers} layers × {kv_heads} KV heads × {head_dim} × {nbytes} bytes ({dtype}) = "
               f"{per_token} bytes per token; × {seq_len} × {batch} = {tokens} tokens: {total} bytes = "
               f"{total} / 2^30 = {gib} GiB ({gb} GB). The count uses KV heads, not query heads: "
               "GQA and MQA shrink the cache by n_heads / n_kv_heads."),
        "zh": (f"2（K 和 V）× {layers} 层 × {kv_heads} 个 KV 头 × {head_dim} × {nbytes} 字节（{dtype}）= "
               f"每 token {per_token} 字节；× {seq_len} × {batch} = {tokens} 个 token：{total} 字节 = "
               f"{total} / 2^30 = {gib} GiB（{gb} GB）。计算用的是 KV 头数而不是 query 头数："
               "GQA 与 MQA 将缓存缩小为 n_heads / n_kv_heads 分之一。"),
    }
    shape = f"{layers} layers, {kv_heads} key/value heads, head_dim {head_dim}"
    shape_zh = f"{layers} 层，{kv_heads} 个 key/value 头，head_dim {head_dim}"
    prompt = {
        "en": (f"{model} ({shape}) serves a batch of {batch} sequences of {seq_len} tokens with the KV cache "
               f"in {dtype}. How many GiB (2^30 bytes) does the KV cache take?"),
        "zh": f"{model}（{shape_zh}）以 {dtype} 存 KV 缓存，服务 {batch} 条长 {seq_len} 的序列。KV 缓存占多少 GiB（2^30 字节）？",
    }
    return make_question(
        family="kv-cache-memory", seed=seed, topic="inference", difficulty="medium", prompt=prompt,
        answer=parts["gib"], tolerance={"rel": 0.01}, unit={"en": "GiB", "zh": "GiB"}, explanation=explanation,
        params={"model": model, "layers": layers, "kv_heads": kv_heads, "head_dim": head_dim, "seq_len": seq_len,
                "batch": batch, "dtype": dtype, "bytes_per_value": nbytes},
        sources=[POPE],
    )


# ---------------------------------------------------------------------------------------------
# training-flops

# Dense (no 2:4 sparsity) tensor-core peaks per GPU, from NVIDIA's datasheets:
# A100 SXM: "NVIDIA A100 Tensor Core GPU" datasheet, BF16 Tensor Core 312 TFLOPS (624 with sparsity).
# H100 SXM and H100 PCIe: "NVIDIA H100 Tensor Core GPU" datasheet, BF16 Tensor Core 1,979 / 1,513 TFLOPS
#   with sparsity, i.e. 989 / 756 dense.
# V100 SXM2: "NVIDIA Tesla V100 GPU" datasheet, Tensor Performance (FP16) 125 TFLOPS.
GPUS = {
    "A100 SXM": (312e12, "BF16"),
    "H100 SXM": (989e12, "BF16"),
    "H100 PCIe": (756e12, "BF16"),
    "V100 SXM2": (125e12, "FP16"),
}
RUNS = [  # (parameters, tokens): GPT-3, Llama-2 7B/70B, Chinchilla-optimal and smaller ones
    (175e9, 300e9), (7e9, 2e12), (70e9, 2e12), (70e9, 1.4e12), (1.3e9, 26e9), (13e9, 1e12), (125e6, 10e9),
    (350e6, 30e9), (8e9, 15e12), (30e9, 600e9),
]
SECONDS_PER_DAY = 86400


def training_parts(n_params: float, tokens: float, n_gpus: int, peak: float, mfu: float) -> dict:
    """6·N·D, the achieved cluster throughput n·peak·MFU, and the time in seconds, hours and days."""
    flops = 6 * n_params * tokens
    throughput = n_gpus * peak * mfu
    seconds = flops / throughput
    return {"flops": flops, "throughput": throughput, "seconds": seconds, "hours": seconds / 3600,
            "days": seconds / SECONDS_PER_DAY}


def make_training_flops(seed: int) -> Question:
    """6·N·D and the days it takes on n GPUs of a named kind at a given MFU."""
    draw = Draw(seed)
    n_params, tokens = draw.pick(RUNS)
    gpu = draw.pick(list(GPUS))
    peak, precision = GPUS[gpu]
    mfu = draw.pick([0.3, 0.35, 0.4, 0.45, 0.5])
    # A cluster size that makes the run take between half a day and about a year, as real runs do.
    sensible = [n for n in (8, 64, 256, 512, 1024, 2048)
                if 0.5 <= training_parts(n_params, tokens, n, peak, mfu)["days"] <= 400]
    n_gpus = draw.pick(sensible or [8])
    parts = training_parts(n_params, tokens, n_gpus, peak, mfu)
    n_text, d_text, f_text = scientific(n_params, 3), scientific(tokens, 3), scientific(parts["flops"])
    rate, seconds = scientific(parts["throughput"]), scientific(parts["seconds"])
    hours, days = f"{parts['hours']:.4g}", f"{parts['days']:.4g}"
    explanation = {
        "en": (f"C = 6·N·D = 6 × {n_text} × {d_text} = {f_text} FLOPs. Achieved throughput = {n_gpus} × "
               f"{scientific(peak, 3)} × {short(mfu)} = {rate} FLOP/s. Time = {f_text} / {rate} = {seconds} s = "
               f"{hours} h = {days} days. The 6 is 2 FLOPs per parameter per token forward and 4 backward; "
               "MFU is the fraction of the dense peak the run achieves."),
        "zh": (f"C = 6·N·D = 6 × {n_text} × {d_text} = {f_text} FLOPs。实际吞吐 = {n_gpus} × {scientific(peak, 3)} × "
               f"{short(mfu)} = {rate} FLOP/s。时间 = {f_text} / {rate} = {seconds} 秒 = {hours} 小时 = {days} 天。"
               "6 = 前向每参数每 token 2 FLOPs + 反向 4 FLOPs；MFU 是实际达到的稠密峰值比例。"),
    }
    setting = (f"N = {n_text} parameters on D = {d_text} tokens, with {n_gpus} NVIDIA {gpu} GPUs "
               f"({short(peak / 1e12)} TFLOP/s dense {precision} each) at {round(mfu * 100)}% MFU")
    setting_zh = (f"N = {n_text} 个参数，D = {d_text} 个 token，用 {n_gpus} 块 NVIDIA {gpu} GPU"
                  f"（每块稠密 {precision} 峰值 {short(peak / 1e12)} TFLOP/s），MFU 为 {round(mfu * 100)}%")
    prompt = {
        "en": (f"Training {setting}. Using C ≈ 6·N·D, what are the training FLOPs and the training time in days? "
               "(FLOPs first, then days.)"),
        "zh": f"训练：{setting_zh}。按 C ≈ 6·N·D，训练 FLOPs 和训练天数各是多少？（先 FLOPs，后天数。）",
    }
    return make_question(
        family="training-flops", seed=seed, topic="efficiency-deployment", difficulty="medium", prompt=prompt,
        answer=[parts["flops"], parts["days"]], tolerance={"rel": 0.02}, explanation=explanation,
        params={"n_params": n_params, "tokens": tokens, "gpu": gpu, "n_gpus": n_gpus, "peak_flops": peak,
                "precision": precision, "mfu": mfu},
        sources=[KAPLAN, CHOWDHERY],
    )


register(Family(
    name="param-count", topic="transformer-block",
    description={
        "en": "Exact parameter counts. params: variant (mha | ffn | block | gpt) and its config: d_model, n_heads, "
              "n_kv_heads, bias (mha); d_model, d_ff, activation, bias (ffn); d_model, n_heads, d_ff (block); "
              "vocab, n_ctx, d_model, n_layers, n_heads, d_ff, tied_embeddings (gpt). answer: the count.",
        "zh": "精确参数量。params：variant（mha | ffn | block | gpt）及其配置：d_model、n_heads、n_kv_heads、bias（mha）；"
              "d_model、d_ff、activation、bias（ffn）；d_model、n_heads、d_ff（block）；"
              "vocab、n_ctx、d_model、n_layers、n_heads、d_ff、tied_embeddings（gpt）。answer：参数个数。",
    },
    generate=make_param_count,
))
register(Family(
    name="kv-cache-memory", topic="inference",
    description={
        "en": "KV cache size of a real model's shape. params: model, layers, kv_heads, head_dim, seq_len, batch, "
              "dtype, bytes_per_value. answer: GiB = 2·layers·kv_heads·head_dim·seq_len·batch·bytes / 2^30.",
        "zh": "真实模型形状下的 KV 缓存大小。params：model、layers、kv_heads、head_dim、seq_len、batch、dtype、"
              "bytes_per_value。answer：GiB = 2·layers·kv_heads·head_dim·seq_len·batch·bytes / 2^30。",
    },
    generate=make_kv_cache_memory,
))
register(Family(
    name="training-flops", topic="efficiency-deployment",
    description={
        "en": "Training compute and time. params: n_params, tokens, gpu, n_gpus, peak_flops (dense, per GPU, from "
              "NVIDIA's datasheet), precision, mfu. answer: [6·N·D FLOPs, days at that MFU].",
        "zh": "训练计算量与时间。params：n_params、tokens、gpu、n_gpus、peak_flops（单卡稠密峰值，取自 NVIDIA 规格书）、"
              "precision、mfu。answer：[6·N·D FLOPs, 该 MFU 下的天数]。",
    },
    generate=make_training_flops,
))
