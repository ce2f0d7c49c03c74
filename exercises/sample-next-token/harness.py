"""How sample_next_token is judged: many draws per row, reduced to frequencies.

The case's rows (R, V) are each repeated `samples` times and sampled in one call with a
generator seeded from the case's seed; the output is the frequency of every token in every
row, which tokens were drawn at all, and whether a second pair of calls with the same
generator seed (and different global RNG states) drew the same tokens. Runs in the worker:
torch only.
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-tensor": ("sample_next_token must return a Tensor of token ids, got {type}",
                     "sample_next_token 必须返回 token id 的张量，实际是 {type}"),
    "dtype": ("sample_next_token must return int64 token ids, got {dtype}",
              "sample_next_token 必须返回 int64 的 token id，实际是 {dtype}"),
    "shape": ("sample_next_token must return one id per row, shape ({rows},) for logits ({rows}, {vocab}); "
              "got shape {shape}",
              "sample_next_token 必须每行返回一个 id：logits 为 ({rows}, {vocab}) 时形状应为 ({rows},)；实际形状 {shape}"),
    "range": ("token ids must lie in [0, {vocab}); got {low} to {high}",
              "token id 必须在 [0, {vocab}) 内；实际范围是 {low} 到 {high}"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

REPRODUCIBILITY_DRAWS = 256


def _check_tokens(tokens, rows, vocab):
    if not isinstance(tokens, torch.Tensor):
        raise TypeError(_say("not-a-tensor", type=type(tokens).__name__))
    if tokens.dtype != torch.int64:
        raise TypeError(_say("dtype", dtype=tokens.dtype))
    if tuple(tokens.shape) != (rows,):
        raise ValueError(_say("shape", rows=rows, vocab=vocab, shape=tuple(tokens.shape)))
    if rows and (int(tokens.min()) < 0 or int(tokens.max()) >= vocab):
        raise ValueError(_say("range", vocab=vocab, low=int(tokens.min()), high=int(tokens.max())))


def run(entry, inputs):
    """Frequencies (R, V), drawn-at-all indicators (R, V) and reproducibility (0 or 1), float64."""
    (logits,) = inputs["args"]
    options = dict(inputs["kwargs"])
    samples = options.pop("samples")
    device, seed = inputs["device"], int(inputs["seed"])
    rows, vocab = logits.shape

    many = logits.repeat_interleave(samples, dim=0)                    # (R·samples, V)
    generator = torch.Generator(device=device).manual_seed(seed)
    tokens = entry(many.clone(), generator, **options)
    _check_tokens(tokens, many.shape[0], vocab)
    row_of_draw = torch.arange(rows, device=tokens.device).repeat_interleave(samples)
    counts = torch.bincount(row_of_draw * vocab + tokens, minlength=rows * vocab)
    counts = counts.reshape(rows, vocab).to(torch.float64)           # (R, V)

    # Same generator seed, different global RNG states: a sampler that uses its generator
    # draws the same tokens both times.
    probe = logits.repeat_interleave(REPRODUCIBILITY_DRAWS, dim=0)
    draws = []
    for global_seed in (seed + 1, seed + 2):
        torch.manual_seed(global_seed)
        again = entry(probe.clone(), torch.Generator(device=device).manual_seed(seed + 3), **options)
        _check_tokens(again, probe.shape[0], vocab)
        draws.append(again)
    reproducible = float(torch.equal(draws[0], draws[1]))

    return {
        "frequencies": (counts / samples).cpu(),
        "drawn": (counts > 0).to(torch.float64).cpu(),
        "reproducible": torch.tensor(reproducible, dtype=torch.float64),
    }
