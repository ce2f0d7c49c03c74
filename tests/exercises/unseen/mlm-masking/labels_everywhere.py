"""labels = the original ids everywhere, not -100 at the unselected positions.

fact: the harness counts labels at unselected positions (rule violations)
named_if: label
"""
import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    special = torch.isin(input_ids, torch.tensor(list(special_ids), dtype=input_ids.dtype))
    selected = (torch.rand(input_ids.shape, generator=generator) < mlm_probability) & ~special
    labels = input_ids.clone()
    masked = input_ids.clone()
    r = torch.rand(input_ids.shape, generator=generator)
    to_mask = selected & (r < 0.8)
    to_random = selected & (r >= 0.8) & (r < 0.9)
    masked[to_mask] = mask_id
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    masked[to_random] = random_ids[to_random]
    return masked, labels
