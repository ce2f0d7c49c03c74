"""Cases for mask_tokens, judged statistically over about 1.3 million tokens in all.

The harness reduces each call to rates and rule counts. Two checks, deterministic for a seed:

- against the reference's own rates (a two-sample check): each rate within
  0.008 × tolerance_scale, where the scale is sqrt(150,000 / expected selected tokens) (at
  least 1): that is at least 5.3 standard deviations of the difference of two samples, so a
  correct masking fails it with probability below 1e-7 per rate. The rule counts
  (specials touched, tokens changed without a label, labels that are not the original token,
  ids outside the vocabulary) must be 0, the call reproducible and the input untouched;
- against BERT's exact rates (`properties`): selected = mlm_probability of the non-special
  tokens, and of those 80% [MASK], 10% random, 10% unchanged, each within 6 standard
  deviations (plus 0.2/V: a random token can be the original or [MASK] by chance)."""

import math

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "selected": ("{rate} of the non-special tokens are selected; expected {probability} (± {bound}, {sigmas} standard "
                 "deviations for {regular} tokens)",
                 "非特殊 token 中有 {rate} 被选中；应为 {probability}（± {bound}，{regular} 个 token 的 {sigmas} 个标准差）"),
    "share": ("{rate} of the selected tokens are {label}; BERT's rule gives {share} (± {bound}, {sigmas} standard "
              "deviations for {chosen} selected tokens)",
              "被选中的 token 中有 {rate} {label}；BERT 的规则给出 {share}（± {bound}，{chosen} 个被选中 token 的 {sigmas} 个标准差）"),
    "to-mask": ("[MASK]", "被替换为 [MASK]"),
    "to-random": ("a random token", "被替换为随机 token"),
    "unchanged": ("unchanged", "保持不变"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

# [PAD] [UNK] [CLS] [SEP] [MASK] of bert-base-uncased; and a small vocabulary.
BERT = {"vocab_size": 30522, "mask_id": 103, "special_ids": [0, 100, 101, 102, 103], "pad": 0, "cls": 101,
        "sep": 102, "first_regular": 104, "sprinkled": 100}
SMALL = {"vocab_size": 1000, "mask_id": 3, "special_ids": [0, 1, 2, 3], "pad": 0, "cls": 1, "sep": 2,
         "first_regular": 4, "sprinkled": 3}
REFERENCE_SELECTED = 150_000  # the tolerance (atol 0.008) is stated for this many selected tokens
SIGMAS = 6.0


def _batch(gen, vocab, rows, length, *, frame=True, sprinkle=0.0):
    """Regular tokens, framed as [CLS] ... [SEP] [PAD]... when `frame`, with a fraction
    `sprinkle` of a special id ([UNK] or [MASK]) inside the text."""
    ids = torch.randint(vocab["first_regular"], vocab["vocab_size"], (rows, length), generator=gen)
    if sprinkle:
        ids[torch.rand(rows, length, generator=gen) < sprinkle] = vocab["sprinkled"]
    if frame:
        lengths = torch.randint(max(2, length * 3 // 4), length + 1, (rows,), generator=gen)
        for row, n in enumerate(lengths.tolist()):
            ids[row, 0] = vocab["cls"]
            ids[row, n - 1] = vocab["sep"]
            ids[row, n:] = vocab["pad"]
    return ids


def _case(name, ids, vocab, mlm_probability=0.15):
    special = torch.isin(ids, torch.tensor(vocab["special_ids"]))
    expected_selected = int((~special).sum()) * mlm_probability
    scale = max(1.0, math.sqrt(REFERENCE_SELECTED / expected_selected)) if expected_selected else 1.0
    return Case(name, (ids, vocab["mask_id"], vocab["vocab_size"], list(vocab["special_ids"])),
                {"mlm_probability": mlm_probability}, tolerance_scale=scale)


def fixed_cases():
    """Named cases: a million BERT tokens, other probabilities, no specials, 1-D, only specials."""
    gen = torch.Generator().manual_seed(2018)
    only_specials = torch.tensor([[101, 103, 102, 0], [101, 100, 102, 0]])
    return [
        _case("one-million-tokens", _batch(gen, BERT, 512, 2048, sprinkle=0.01), BERT),
        _case("bert-batch", _batch(gen, BERT, 32, 512), BERT),
        _case("mlm-probability-0.3", _batch(gen, SMALL, 64, 512), SMALL, 0.3),
        _case("no-special-tokens", _batch(gen, SMALL, 32, 1024, frame=False), SMALL),
        _case("one-dimensional", _batch(gen, SMALL, 1, 40000, sprinkle=0.02).reshape(-1), SMALL),
        _case("only-special-tokens", only_specials, BERT),
    ]


def random_cases(gen, count):
    """`count` random batches: 8-48 rows of 256-1024 tokens, either vocabulary, some [UNK] or
    [MASK] inside the text, mlm_probability from 0.1 to 0.4."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        vocab = (BERT, SMALL)[i % 2]
        probability = round(0.1 + 0.3 * float(torch.rand((), generator=gen, dtype=torch.float64)), 2)
        ids = _batch(gen, vocab, size(8, 48), size(256, 1024), sprinkle=0.02 * (i % 3))
        cases.append(_case(f"random-{i}", ids, vocab, probability))
    return cases


def properties(case, output, reference):
    """BERT's exact rates, each within 6 standard deviations."""
    ids, _, vocab_size, special_ids = case.args
    probability = case.kwargs["mlm_probability"]
    regular = int((~torch.isin(ids, torch.tensor(special_ids))).sum())
    if not regular:
        return []

    def rate(name):
        return float(output[name])

    problems = []
    bound = SIGMAS * math.sqrt(probability * (1 - probability) / regular)
    if abs(rate("selected") - probability) > bound:
        problems.append(_say("selected", rate=f"{rate('selected'):.4f}", probability=probability, bound=f"{bound:.4f}",
                             sigmas=f"{SIGMAS:g}", regular=regular))
    chosen = rate("selected") * regular
    if chosen < 1:
        return problems
    slack = 0.2 / vocab_size
    for name, share, label in (("to_mask", 0.8, _say("to-mask")), ("to_random", 0.1, _say("to-random")),
                               ("unchanged", 0.1, _say("unchanged"))):
        bound = SIGMAS * math.sqrt(share * (1 - share) / chosen) + slack
        if abs(rate(name) - share) > bound:
            problems.append(_say("share", rate=f"{rate(name):.4f}", label=label, share=share, bound=f"{bound:.4f}",
                                    sigmas=f"{SIGMAS:g}", chosen=round(chosen)))
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, rows, L):
    """Batches of BERT-base pre-training: rows × L tokens."""
    return Case(f"rows={rows}", (_batch(gen, BERT, rows, L), BERT["mask_id"], BERT["vocab_size"],
                                 list(BERT["special_ids"])), {"mlm_probability": 0.15})


def flops(case):
    """About 4 operations per token: two uniforms compared with thresholds (no matmul here)."""
    return 4 * case.args[0].numel()


def bytes_moved(case):
    """Read the ids; write the masked ids and the labels (int64)."""
    return 3 * case.args[0].numel() * 8


# No built-in: Hugging Face's DataCollatorForLanguageModeling does this; PyTorch has no built-in


BENCH = Bench(dims={"rows": [8, 32, 256]}, fixed={"L": 512}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved)
