"""Trains the submitted BPETokenizer on the case's corpus and encodes held-out texts with it.

The output is the merges as a (M, 2) float64 tensor of ids and, per held-out text, its ids as a
float64 tensor; all compared exactly. Runs in the worker: torch only.
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-pairs": ("train must return a list of (a, b) pairs of ids", "train 必须返回由 id 对 (a, b) 组成的列表"),
}


def _ids(values):
    values = [int(v) for v in values]
    return torch.tensor(values, dtype=torch.float64)


def run(entry, inputs):
    corpus, vocab_size, held_out = inputs["args"]
    tokenizer = entry()
    merges = tokenizer.train(corpus, vocab_size)
    try:
        pairs = [(int(a), int(b)) for a, b in merges]
    except (TypeError, ValueError):
        raise TypeError(MESSAGES["not-pairs"][0]) from None
    result = {"merges": torch.tensor(pairs, dtype=torch.float64).reshape(-1, 2)}
    for index, text in enumerate(held_out):
        result[f"encode(held_out[{index}])"] = _ids(tokenizer.encode(text))
    result["encode(corpus)"] = _ids(tokenizer.encode(corpus))
    warm_up = inputs["kwargs"].get("train_first")
    if warm_up is not None:  # the README: calling train again starts afresh
        again = entry()
        again.train(warm_up, vocab_size)
        retrained = [(int(a), int(b)) for a, b in again.train(corpus, vocab_size)]
        label = "train called again starts afresh"  # data: an output's name, like "merges"
        result[label] = torch.tensor(float(retrained == pairs), dtype=torch.float64)
    return result
