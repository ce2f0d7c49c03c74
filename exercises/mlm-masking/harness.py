"""How mask_tokens is judged: rates and rule violations, not the random draws themselves.

The entry is called once on the case's tokens with a generator seeded from the case's seed;
the output is the fraction of non-special tokens selected, how the selected ones were
replaced, counts of broken rules (which must be 0), and whether two calls with the same
generator seed (and different global RNG states) agree. Runs in the worker: torch only.
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-pair": ("mask_tokens must return a tuple (masked_ids, labels)",
                   "mask_tokens 必须返回元组 (masked_ids, labels)"),
    "not-a-tensor": ("{name} must be a Tensor, got {type}", "{name} 必须是张量，实际是 {type}"),
    "shape": ("{name} must have the shape of input_ids {expected}, got {got}",
              "{name} 的形状必须与 input_ids 相同 {expected}，实际是 {got}"),
    "dtype": ("{name} must be int64 like input_ids, got {dtype}", "{name} 必须像 input_ids 一样是 int64，实际是 {dtype}"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

REPRODUCIBILITY_TOKENS = 4096


def _call(entry, input_ids, mask_id, vocab_size, special_ids, generator, options):
    given = input_ids.clone()
    result = entry(given, mask_id, vocab_size, list(special_ids), generator=generator, **options)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(_say("not-a-pair"))
    for name, value in zip(("masked_ids", "labels"), result, strict=True):
        if not isinstance(value, torch.Tensor):
            raise TypeError(_say("not-a-tensor", name=name, type=type(value).__name__))
        if tuple(value.shape) != tuple(input_ids.shape):
            raise ValueError(_say("shape", name=name, expected=tuple(input_ids.shape), got=tuple(value.shape)))
        if value.dtype != torch.int64:
            raise TypeError(_say("dtype", name=name, dtype=value.dtype))
    untouched = torch.equal(given, input_ids)
    return result[0], result[1], untouched


def _count(mask):
    return int(torch.count_nonzero(mask))


def _fraction(part, whole):
    whole = int(whole)
    return float(int(part) / whole) if whole else 0.0


def run(entry, inputs):
    """A dict of float64 scalars: rates (compared within a stated bound) and exact counts."""
    input_ids, mask_id, vocab_size, special_ids = inputs["args"]
    options = dict(inputs["kwargs"])
    device, seed = inputs["device"], int(inputs["seed"])

    generator = torch.Generator(device=device).manual_seed(seed)
    out, labels, untouched = _call(entry, input_ids, mask_id, vocab_size, special_ids, generator, options)
    is_special = torch.zeros(vocab_size, dtype=torch.bool, device=input_ids.device)
    is_special[list(special_ids)] = True
    special = is_special[input_ids]                                  # the case's ids lie in [0, V)
    labelled = labels != -100
    changed = out != input_ids
    chosen = labelled & ~special
    n_chosen = _count(chosen)
    to_mask = chosen & (out == mask_id)
    unchanged = chosen & ~changed
    to_random = chosen & changed & (out != mask_id)

    # Same generator seed, different global RNG states: the same result both times.
    probe = input_ids.reshape(-1)[:REPRODUCIBILITY_TOKENS]
    draws = []
    for global_seed in (seed + 1, seed + 2):
        torch.manual_seed(global_seed)
        again = torch.Generator(device=device).manual_seed(seed + 3)
        draws.append(_call(entry, probe, mask_id, vocab_size, special_ids, again, options)[:2])
    reproducible = all(torch.equal(a, b) for a, b in zip(draws[0], draws[1], strict=True))

    stats = {
        "selected": _fraction(n_chosen, special.numel() - _count(special)),
        "to_mask": _fraction(_count(to_mask), n_chosen),
        "to_random": _fraction(_count(to_random), n_chosen),
        "unchanged": _fraction(_count(unchanged), n_chosen),
        "specials_touched": _count(special & (labelled | changed)),
        "changed_without_label": _count(changed & ~labelled),
        "labels_not_the_original": _count(labelled & (labels != input_ids)),
        "ids_outside_vocab": _count((out < 0) | (out >= vocab_size)),
        "reproducible": float(reproducible),
        "input_untouched": float(untouched),
    }
    return {name: torch.tensor(float(value), dtype=torch.float64) for name, value in stats.items()}
