"""Family `moe-params`: total and active parameters of a Mixtral-style MoE decoder from its config."""

from __future__ import annotations

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, grouped, make_question

MIXTRAL = {"paper": "jiang2024", "section": "§2 Table 1 and §2.1 (8 SwiGLU experts, top-2 routing; 47B total, "
                                           "13B active)"}
SWITCH = {"paper": "fedus2021", "section": "§2.1 (the router: a linear layer d_model × number of experts)"}
HEAD_DIM = 128


def moe_count(d_model: int, layers: int, kv_heads: int, hidden: int, experts: int, top_k: int,
              vocab: int) -> dict:
    """Bias-free GQA attention, a linear router, `experts` SwiGLU experts, 2 RMSNorms per layer, a final
    RMSNorm, and untied input/output embeddings; active = the same with only `top_k` experts."""
    heads = d_model // HEAD_DIM
    attention = 2 * d_model * heads * HEAD_DIM + 2 * d_model * kv_heads * HEAD_DIM
    expert = 3 * d_model * hidden
    router, norms = d_model * experts, 2 * d_model
    layer = attention + router + norms + experts * expert
    active_layer = attention + router + norms + top_k * expert
    embeddings = 2 * vocab * d_model
    return {"heads": heads, "attention": attention, "expert": expert, "router": router, "layer": layer,
            "active_layer": active_layer, "embeddings": embeddings,
            "total": layers * layer + embeddings + d_model, "active": layers * active_layer + embeddings + d_model}


def make_moe_params(seed: int) -> Question:
    """A config drawn from Mixtral/DeepSeekMoE-like ranges; asks total or active parameters, in millions."""
    draw = Draw(seed)
    d_model = draw.pick([1024, 2048, 4096])
    layers = draw.pick([8, 16, 24, 32])
    heads = d_model // HEAD_DIM
    kv_heads = draw.pick(sorted({heads, 8 if heads >= 8 else heads, 4 if heads >= 4 else heads}))
    hidden = draw.pick([d_model * 2, d_model * 7 // 2, d_model * 4])
    experts = draw.pick([8, 16, 32, 64])
    top_k = draw.pick([k for k in (1, 2, 4, 8) if k < experts and k <= 8])
    vocab = draw.pick([32000, 50304, 65536])
    ask = draw.pick(["total", "active"])
    c = moe_count(d_model, layers, kv_heads, hidden, experts, top_k, vocab)
    answer = c[ask] / 1e6
    values = {k: grouped(v) for k, v in c.items()}
    config = (f"{layers} layers, d_model = {d_model}, {heads} query heads and {kv_heads} KV heads of size {HEAD_DIM}, "
              f"{experts} SwiGLU experts per layer (hidden size {hidden}, three d_model×hidden matrices each) with "
              f"top-{top_k} routing and a linear router, vocabulary {vocab} with untied input and output embeddings, "
              "two RMSNorm weight vectors per layer plus a final one, no biases")
    config_zh = (f"{layers} 层，d_model = {d_model}，{heads} 个 query 头、{kv_heads} 个 KV 头，头维度 {HEAD_DIM}；"
                 f"每层 {experts} 个 SwiGLU 专家（隐藏维度 {hidden}，每个专家三个 d_model×hidden 矩阵），top-{top_k} 路由，"
                 f"路由器为线性层；词表 {vocab}，输入输出嵌入不共享；每层两个 RMSNorm 权重向量，另有最后一个；无偏置")
    question = {"total": ("How many parameters does the model have in total", "模型总共有多少参数"),
                "active": (f"How many parameters does one token use (active parameters: attention, router, "
                           f"the {top_k} chosen experts, norms and both embeddings)",
                           f"一个 token 实际用到多少参数（激活参数：注意力、路由器、选中的 {top_k} 个专家、归一化和两个嵌入矩阵）")}[ask]
    prompt = {"en": f"A mixture-of-experts decoder: {config}. {question[0]}, in millions?",
              "zh": f"一个混合专家解码器：{config_zh}。{question[1]}（单位：百万）？"}
    experts_used = experts if ask == "total" else top_k
    layer_value = values["layer"] if ask == "total" else values["active_layer"]
    explanation = {
        "en": (f"Per layer: attention 2·{d_model}·{heads * HEAD_DIM} + 2·{d_model}·{kv_heads * HEAD_DIM} = "
               f"{values['attention']}; each expert 3·{d_model}·{hidden} = {values['expert']}; router {values['router']}; "
               f"norms {grouped(2 * d_model)}. With {experts_used} experts a layer has {layer_value}; × {layers} layers, "
               f"plus embeddings 2·{vocab}·{d_model} = {values['embeddings']} and the final norm {d_model}: "
               f"{values[ask]} ≈ {fixed(answer, 1)} million. Total {values['total']}, active {values['active']}: "
               "all experts must be stored, but a token only computes with its top-k."),
        "zh": (f"每层：注意力 2·{d_model}·{heads * HEAD_DIM} + 2·{d_model}·{kv_heads * HEAD_DIM} = {values['attention']}；"
               f"每个专家 3·{d_model}·{hidden} = {values['expert']}；路由器 {values['router']}；归一化 {grouped(2 * d_model)}。"
               f"按 {experts_used} 个专家计，每层 {layer_value}；乘以 {layers} 层，再加嵌入 2·{vocab}·{d_model} = "
               f"{values['embeddings']} 和最后的归一化 {d_model}：{values[ask]} ≈ {fixed(answer, 1)} 百万。"
               f"总参数 {values['total']}，激活参数 {values['active']}：所有专家都要存，但每个 token 只用 top-k 个计算。"),
    }
    params = {"d_model": d_model, "layers": layers, "heads": heads, "kv_heads": kv_heads, "head_dim": HEAD_DIM,
              "hidden": hidden, "experts": experts, "top_k": top_k, "vocab": vocab, "ask": ask}
    return make_question(
        family="moe-params", seed=seed, topic="mixture-of-experts", difficulty="hard" if ask == "active" else "medium",
        prompt=prompt, answer=answer, tolerance={"rel": 0.001}, unit={"en": "million", "zh": "百万"},
        explanation=explanation, params=params, sources=[MIXTRAL, SWITCH],
    )


register(Family(
    name="moe-params", topic="mixture-of-experts",
    description={
        "en": "Total or active parameters (in millions) of a Mixtral-style MoE decoder. params: d_model, layers, "
              "heads, kv_heads, head_dim, hidden (expert SwiGLU width), experts, top_k, vocab, ask (total | active). "
              "answer: the count / 1e6.",
        "zh": "Mixtral 式 MoE 解码器的总参数或激活参数（单位百万）。params：d_model、layers、heads、kv_heads、head_dim、"
              "hidden（专家 SwiGLU 宽度）、experts、top_k、vocab、ask（total | active）。answer：参数量 / 1e6。",
    },
    generate=make_moe_params,
))
