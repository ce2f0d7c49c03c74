"""special_ids ignored: any token, [CLS] and [PAD] included, may be selected.

fact: the harness counts special tokens selected or changed
named_if: special
"""
import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    selected = torch.rand(input_ids.shape, generator=generator) < mlm_probability
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    masked = input_ids.clone()
    r = torch.rand(input_ids.shape, generator=generator)
    to_mask = selected & (r < 0.8)
    to_random = selected & (r >= 0.8) & (r < 0.9)
    masked[to_mask] = mask_id
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    masked[to_random] = random_ids[to_random]
    return masked, labels
