"""The tiny decoder that generate() runs on, and how a submission is judged.

TinyDecoder is a GPT-2-style model (nanoGPT layout): token and learned position embeddings,
pre-LayerNorm blocks of causal self-attention and a GELU MLP, a final LayerNorm and an
untied output head. Its weights come from `weights_seed` alone, so the submission (in the
worker) and the reference (in llmprep) get the same model. The judged output is the tokens
and whether the matmul FLOPs (counted by MatmulFlopCounter) exceed what a KV cache needs
(1.5 × the cost of running every position through the model once). Runs in the worker:
torch only.
"""

import math

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-ids": ("generate must return an int64 Tensor of token ids, got {got}",
                "generate 必须返回 int64 的 token id 张量，实际是 {got}"),
    "shape": ("generate must return the prompt followed by max_new_tokens new tokens, shape {expected}; got {got}",
              "generate 必须返回提示词加上 max_new_tokens 个新 token，形状 {expected}；实际是 {got}"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

BUDGET_SLACK = 1.5


class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention; qkv(x) holds [q | k | v] along the last dim."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def split_heads(self, x):
        """(B, T, d_model) -> (B, H, T, d_head)."""
        B, T, d = x.shape
        return x.view(B, T, self.n_heads, d // self.n_heads).transpose(1, 2)

    def merge_heads(self, y):
        """(B, H, T, d_head) -> (B, T, d_model)."""
        B, H, T, d_head = y.shape
        return y.transpose(1, 2).reshape(B, T, H * d_head)

    def forward(self, x):
        """Full causal attention over x (B, T, d_model), no cache."""
        q, k, v = (self.split_heads(t) for t in self.qkv(x).chunk(3, dim=-1))
        T = x.size(1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))            # (B, H, T, T)
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        return self.proj(self.merge_heads(torch.softmax(scores, dim=-1) @ v))


class Block(nn.Module):
    """Pre-LN transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class TinyDecoder(nn.Module):
    """A GPT-2-style decoder; model(ids) -> logits (B, T, vocab_size), without a cache."""

    def __init__(self, vocab_size, d_model, n_heads, n_layers, n_ctx):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(n_ctx, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, ids):
        positions = torch.arange(ids.size(1), device=ids.device)
        x = self.wte(ids) + self.wpe(positions)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def build_model(config, dtype=torch.float64, device="cpu"):
    """TinyDecoder(**config) with weights drawn from config["weights_seed"] (in float64, then cast)."""
    config = dict(config)
    generator = torch.Generator().manual_seed(int(config.pop("weights_seed")))
    model = TinyDecoder(**config)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator, dtype=torch.float64)
            if name.startswith(("wte", "wpe")):
                value = noise                                  # embeddings: unit scale
            elif name.endswith("bias"):
                value = 0.1 * noise
            elif ".ln_" in name or name.startswith("ln_f"):
                value = 1 + 0.1 * noise                        # LayerNorm gains near 1
            else:
                scale = 2.0 if name.startswith("lm_head") else 1.0
                value = scale * noise / math.sqrt(parameter.shape[1])
            parameter.copy_(value)
    return model.to(dtype=dtype, device=device).eval().requires_grad_(False)


class MatmulFlopCounter(TorchFunctionMode):
    """Counts 2·M·K·N for every matrix product made through torch's Python API: F.linear (so
    nn.Linear), matmul and @, mm, bmm, addmm, baddbmm, einsum and F.scaled_dot_product_attention.
    (torch.utils.flop_counter does this at the dispatch level but imports sympy: seconds.)"""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        try:
            self.flops += _product_flops(name, args, out)
        except (AttributeError, IndexError, TypeError, ValueError):
            pass  # an unusual call shape: not a product we know how to count
        return out


def _product_flops(name, args, out):
    if name == "linear":
        return 2 * args[0].numel() * args[1].shape[0]
    if name in ("matmul", "__matmul__", "mm", "bmm"):
        return 2 * out.numel() * args[0].shape[-1]
    if name in ("addmm", "baddbmm"):
        return 2 * out.numel() * args[1].shape[-1]
    if name == "__rmatmul__":
        return 2 * out.numel() * args[1].shape[-1]
    if name == "einsum":
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = operands[0]
        sizes = {}
        for spec, operand in zip(equation.split("->")[0].split(","), operands, strict=False):
            sizes.update(zip(spec.strip(), operand.shape, strict=False))
        return 2 * math.prod(sizes.values())
    if name == "scaled_dot_product_attention":
        q, k, v = args[:3]
        return 2 * q.numel() * k.shape[-2] + 2 * q[..., :1].numel() * k.shape[-2] * v.shape[-1]
    return 0


def cached_flops_budget(config, batch, prompt_len, new_tokens):
    """Matmul FLOPs of a generous KV-cache decoding, times BUDGET_SLACK: every position through
    every linear layer and the head once, full-square attention for the prompt, then each new
    query against all keys."""
    d, vocab, layers = config["d_model"], config["vocab_size"], config["n_layers"]
    positions = prompt_len + new_tokens
    linear = positions * (layers * 24 * d * d + 2 * d * vocab)
    attention = layers * 4 * d * (prompt_len ** 2 + new_tokens * positions)
    return BUDGET_SLACK * batch * (linear + attention)


def run(entry, inputs):
    """{"tokens": (B, P + N) as float64, "recomputes_prefix": 0.0 or 1.0}."""
    _, prompt_ids, max_new_tokens = inputs["args"]  # the case's model slot is None: built here
    config = inputs["init"]
    model = build_model(config, getattr(torch, inputs["dtype"] or "float64"), inputs["device"])
    B, P = prompt_ids.shape
    counter = MatmulFlopCounter()
    with counter, torch.no_grad():
        tokens = entry(model, prompt_ids.clone(), max_new_tokens)
    if not isinstance(tokens, torch.Tensor) or tokens.dtype != torch.int64:
        raise TypeError(_say("not-ids", got=getattr(tokens, "dtype", type(tokens).__name__)))
    if tuple(tokens.shape) != (B, P + max_new_tokens):
        raise ValueError(_say("shape", expected=(B, P + max_new_tokens), got=tuple(tokens.shape)))
    budget = cached_flops_budget(config, B, P, max_new_tokens)
    return {
        "tokens": tokens.detach().to("cpu", torch.float64),
        "recomputes_prefix": torch.tensor(float(counter.flops > budget), dtype=torch.float64),
    }
