"""Runs speculative_step many times and returns statistics of what it emits.

Each case holds R "situations" (target and draft distributions). The harness repeats every
situation SAMPLES times (one batched call), drawing the draft tokens from the draft
distributions itself (from the case's seed), and returns per situation:
- first: how often each token is emitted first (must follow p_0 exactly),
- second: how often each token is emitted second, among rows that emit at least two
  (the first draft accepted: must follow p_1),
- length: how often 1, 2, ..., K+1 tokens are emitted,
- reproducible: 1 when the same generator seed gives the same tokens under different global
  seeds (the sampler draws from its generator).
Runs in the worker: torch only.
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-ids": ("speculative_step must return an int64 tensor of shape ({B}, {width}); got {got} {shape}",
                "speculative_step 必须返回形状为 ({B}, {width}) 的 int64 张量；实际是 {got} {shape}"),
    "layout": ("each row must hold its emitted tokens first, then -1 (never a -1 between tokens)",
               "每一行先放输出的 token，再放 -1（token 之间不能有 -1）"),
    "empty-row": ("every row emits at least one token (a correction or the bonus)",
                  "每一行至少输出一个 token（一个修正 token 或额外的 bonus token）"),
    "prefix": ("all emitted tokens but the last must be the draft tokens, in order (the accepted prefix)",
               "除最后一个外，输出的 token 必须依次是草稿 token（被接受的前缀）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

REPRODUCIBILITY_ROWS = 64


def _call(entry, target, draft, tokens, seed, device):
    out = entry(target.clone(), draft.clone(), tokens.clone(), torch.Generator(device=device).manual_seed(seed))
    B, K = tokens.shape
    if not isinstance(out, torch.Tensor) or out.shape != (B, K + 1) or out.dtype != torch.int64:
        raise TypeError(_say("not-ids", B=B, width=K + 1, got=getattr(out, "dtype", type(out).__name__),
                             shape=tuple(getattr(out, "shape", ()))))
    emitted = out >= 0
    lengths = emitted.sum(-1)
    if not torch.equal(emitted, torch.arange(K + 1, device=out.device) < lengths[:, None]):
        raise ValueError(_say("layout"))
    if bool((lengths < 1).any()):
        raise ValueError(_say("empty-row"))
    prefix_ok = (out[:, :K] == tokens) | (torch.arange(K, device=out.device) >= lengths[:, None] - 1)
    if not bool(prefix_ok.all()):
        raise ValueError(_say("prefix"))
    return out, lengths


def run(entry, inputs):
    target, draft = inputs["args"][0], inputs["args"][1]        # (R, K+1, V), (R, K, V)
    samples = int(inputs["kwargs"]["samples"])
    seed, device = int(inputs["seed"]), inputs["device"]
    R, K, V = draft.shape
    target_rep = target.repeat_interleave(samples, dim=0)           # (R·N, K+1, V)
    draft_rep = draft.repeat_interleave(samples, dim=0)
    drafting = torch.Generator(device=device).manual_seed(seed + 7)
    tokens = torch.multinomial(draft_rep.reshape(-1, V).double(), 1, generator=drafting).view(R * samples, K)
    out, lengths = _call(entry, target_rep, draft_rep, tokens, seed, device)

    row = torch.arange(R, device=out.device).repeat_interleave(samples)
    first = torch.bincount(row * V + out[:, 0], minlength=R * V).view(R, V).double()
    two = lengths >= 2
    second = torch.bincount(row[two] * V + out[two, 1], minlength=R * V).view(R, V).double()
    length = torch.bincount(row * (K + 1) + lengths - 1, minlength=R * (K + 1)).view(R, K + 1).double()

    probe = slice(0, REPRODUCIBILITY_ROWS)
    again = []
    for global_seed in (seed + 1, seed + 2):
        torch.manual_seed(global_seed)
        again.append(_call(entry, target_rep[probe], draft_rep[probe], tokens[probe], seed + 3, device)[0])
    return {
        "first": (first / samples).cpu(),
        "second": (second / second.sum(-1, keepdim=True).clamp(min=1)).cpu(),
        "length": (length / samples).cpu(),
        "reproducible": torch.tensor(float(torch.equal(again[0], again[1])), dtype=torch.float64),
    }
