"""masked = input_ids (no clone): the caller's tensor is corrupted in place.

fact: modified its input input_ids in place
named_if: in place|input.untouched
"""
import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    special = torch.isin(input_ids, torch.tensor(list(special_ids), dtype=input_ids.dtype))
    selected = (torch.rand(input_ids.shape, generator=generator) < mlm_probability) & ~special
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    r = torch.rand(input_ids.shape, generator=generator)
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    masked = input_ids
    masked[selected & (r < 0.8)] = mask_id
    to_random = selected & (r >= 0.8) & (r < 0.9)
    masked[to_random] = random_ids[to_random]
    return masked, labels
