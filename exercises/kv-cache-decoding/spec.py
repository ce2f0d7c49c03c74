"""Cases for generate with a KV cache: prompts of one and many tokens, batch 1 and 3, one
layer and three, zero, one and many new tokens, random ones.

The model's weights come from `weights_seed` (harness.build_model). No case sits on a knife
edge: at every step of decoding without a cache (float64), the best logit of every row beats
the second by at least GAP, far above float32 rounding, so any correct implementation picks
the same tokens."""

import functools
import importlib.util
from pathlib import Path

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "greedy": ("the tokens differ from greedy decoding without a cache (argmax of model(ids)[:, -1] each step)",
               "token 与不用缓存的贪心解码不同（每一步取 model(ids)[:, -1] 的 argmax）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

GAP = 0.02


def _harness():
    path = Path(__file__).with_name("harness.py")
    spec = importlib.util.spec_from_file_location("llmprep_kv_cache_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESS = _harness()


@functools.lru_cache(maxsize=64)
def _model(config_items):
    return HARNESS.build_model(dict(config_items))


def greedy_without_cache(config, prompt_ids, max_new_tokens):
    """Tokens and the smallest top-2 logit gap of plain greedy decoding: model(ids) every step
    (on one thread: these tiny ops are many times slower on a busy thread pool)."""
    model = _model(tuple(sorted(config.items())))
    ids, smallest_gap = prompt_ids, float("inf")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            for _ in range(max_new_tokens):
                logits = model(ids)[:, -1]                                   # (B, V)
                top2 = logits.topk(2, dim=-1).values
                smallest_gap = min(smallest_gap, float((top2[:, 0] - top2[:, 1]).min()))
                ids = torch.cat([ids, logits.argmax(dim=-1, keepdim=True)], dim=1)
    finally:
        torch.set_num_threads(threads)
    return ids, smallest_gap


def _config(vocab=48, d_model=32, n_heads=4, n_layers=2, n_ctx=64, weights_seed=0):
    return {"vocab_size": vocab, "d_model": d_model, "n_heads": n_heads, "n_layers": n_layers, "n_ctx": n_ctx,
            "weights_seed": weights_seed}


def _case(name, gen, config, batch, prompt_len, max_new_tokens):
    """A prompt redrawn until greedy decoding is clear of ties at every step."""
    for _attempt in range(200):
        prompt = torch.randint(config["vocab_size"], (batch, prompt_len), generator=gen)
        _, gap = greedy_without_cache(config, prompt, max_new_tokens)
        if gap >= GAP:
            # The model slot is None: the harness builds the model from `init`.
            return Case(name, (None, prompt, max_new_tokens), init=config)
    raise RuntimeError(f"no prompt without near-ties for {name}")  # data: a spec bug, never a verdict


def fixed_cases():
    """Named cases: every shape of prompt and generation."""
    gen = torch.Generator().manual_seed(2019)
    return [
        _case("batch-2-prompt-5-new-8", gen, _config(weights_seed=1), 2, 5, 8),
        _case("prompt-of-one-token", gen, _config(weights_seed=2), 2, 1, 9),
        _case("batch-1-long-generation", gen, _config(weights_seed=3), 1, 4, 12),
        _case("one-layer-one-head", gen, _config(n_heads=1, n_layers=1, weights_seed=4), 3, 6, 8),
        _case("three-layers-eight-heads", gen, _config(d_model=32, n_heads=8, n_layers=3, weights_seed=5), 2, 5, 5),
        _case("one-new-token", gen, _config(weights_seed=6), 2, 6, 1),
        _case("zero-new-tokens", gen, _config(weights_seed=7), 2, 4, 0),
    ]


def random_cases(gen, count):
    """`count` random models and prompts: 1-2 layers, 1-4 heads, batch 1-3, prompt 1-6, 3-7 new tokens."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        n_heads = size(1, 4)
        config = _config(vocab=size(16, 64), d_model=n_heads * size(4, 8), n_heads=n_heads, n_layers=size(1, 2),
                         weights_seed=size(0, 2**31 - 1))
        cases.append(_case(f"random-{i}", gen, config, size(1, 3), size(1, 6), size(3, 7)))
    return cases


def properties(case, output, reference):
    """The tokens equal those of greedy decoding without a cache (float64)."""
    tokens = output["tokens"]
    _, prompt, max_new_tokens = case.args
    expected, _ = greedy_without_cache(case.init, prompt, max_new_tokens)
    if tokens.shape != expected.shape or not torch.equal(tokens.long(), expected):
        return [_say("greedy")]
    return []


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, P):
    """A bigger model (4 layers, d_model 256) and a prompt of P, generating N tokens: the time per
    token stays flat with a cache and grows with the length without one."""
    config = _config(vocab=1024, d_model=256, n_heads=8, n_layers=4, n_ctx=512, weights_seed=0)
    prompt = torch.randint(1024, (1, P), generator=gen)
    return Case(f"N={N}", (None, prompt, N), init=config)


def flops(case):
    """Matmul FLOPs of decoding with a cache: P + N - 1 positions through every linear layer
    (24·d² per layer) and the head (2·d·V) once, the prompt's attention and each new query's."""
    _, prompt, n = case.args
    config = case.init
    B, P = prompt.shape
    d, V, L = config["d_model"], config["vocab_size"], config["n_layers"]
    positions = P + max(n - 1, 0)
    linear = positions * L * 24 * d * d + n * 2 * d * V
    attention = L * 4 * d * (P * (P + 1) // 2 + sum(P + t for t in range(1, n)))
    return B * (linear + attention)


def bytes_moved(case):
    """Every weight read once per generated token, plus the cache read at every step."""
    _, prompt, n = case.args
    config = case.init
    d, V, L, ctx = config["d_model"], config["vocab_size"], config["n_layers"], config["n_ctx"]
    weights = (V + ctx) * d + L * (12 * d * d + 13 * d) + 2 * d + d * V
    cache_reads = sum(2 * L * d * (prompt.shape[1] + t) for t in range(n)) * prompt.shape[0]
    return 4 * (n * weights + cache_reads)


def builtin(model, prompt_ids, max_new_tokens):
    """Greedy decoding without a cache (what generate(use_cache=False) does): the baseline
    whose cost per token grows with the length."""
    ids = prompt_ids
    for _ in range(max_new_tokens):
        ids = torch.cat([ids, model(ids)[:, -1].argmax(dim=-1, keepdim=True)], dim=1)
    return ids


BENCH = Bench(dims={"N": [32, 64, 128, 256]}, fixed={"P": 16}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 4})
