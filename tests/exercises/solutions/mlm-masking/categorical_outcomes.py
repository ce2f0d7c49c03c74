import torch

NOT_SELECTED, TO_MASK, TO_RANDOM, KEPT = range(4)


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    # One categorical draw per token over its four possible fates, with the probabilities
    # multiplied out: (1 - p, 0.8 p, 0.1 p, 0.1 p). Random replacements avoid special ids.
    p = mlm_probability
    flat = input_ids.reshape(-1)
    special = torch.isin(flat, torch.as_tensor(special_ids))
    fates = torch.tensor([1 - p, 0.8 * p, 0.1 * p, 0.1 * p], dtype=torch.float64)
    cumulative = fates.cumsum(0)
    u = torch.rand(flat.shape, generator=generator, dtype=torch.float64)
    fate = torch.searchsorted(cumulative, u, right=True).clamp_max(KEPT)
    fate[special] = NOT_SELECTED

    regular = torch.ones(vocab_size, dtype=torch.bool)
    regular[list(special_ids)] = False
    regular_ids = regular.nonzero().squeeze(1)
    random_ids = regular_ids[torch.randint(len(regular_ids), flat.shape, generator=generator)]

    masked = torch.where(fate == TO_MASK, torch.full_like(flat, mask_id), flat)
    masked = torch.where(fate == TO_RANDOM, random_ids, masked)
    labels = torch.where(fate == NOT_SELECTED, torch.full_like(flat, -100), flat)
    return masked.reshape(input_ids.shape), labels.reshape(input_ids.shape)
