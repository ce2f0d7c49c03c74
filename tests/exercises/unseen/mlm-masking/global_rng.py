"""Random numbers from the global RNG (torch.rand without generator=): not reproducible.

fact: two calls with the same generator seed give different results (the harness's reproducibility call)
named_if: reproduc|same generator|same seed
"""
import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    special = torch.isin(input_ids, torch.tensor(list(special_ids), dtype=input_ids.dtype))
    selected = (torch.rand(input_ids.shape) < mlm_probability) & ~special
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    masked = input_ids.clone()
    r = torch.rand(input_ids.shape)
    to_mask = selected & (r < 0.8)
    to_random = selected & (r >= 0.8) & (r < 0.9)
    masked[to_mask] = mask_id
    random_ids = torch.randint(vocab_size, input_ids.shape)
    masked[to_random] = random_ids[to_random]
    return masked, labels
