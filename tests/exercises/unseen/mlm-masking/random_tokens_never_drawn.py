"""The 10% "random token" branch writes mask_id too: 90% [MASK], 10% unchanged, no random tokens.

fact: the fraction of selected tokens replaced by a random token is wrong (0)
named_if: random
"""
import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    special = torch.isin(input_ids, torch.tensor(list(special_ids), dtype=input_ids.dtype))
    selected = (torch.rand(input_ids.shape, generator=generator) < mlm_probability) & ~special
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    r = torch.rand(input_ids.shape, generator=generator)
    masked = input_ids.clone()
    masked[selected & (r < 0.9)] = mask_id
    return masked, labels
