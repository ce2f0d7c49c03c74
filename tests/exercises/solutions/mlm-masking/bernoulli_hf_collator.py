import torch


def mask_tokens(input_ids, mask_id, vocab_size, special_ids, generator, mlm_probability=0.15):
    # The Hugging Face DataCollatorForLanguageModeling recipe: a chain of Bernoulli draws,
    # boolean-index assignment on copies.
    inputs = input_ids.clone()
    labels = input_ids.clone()
    special_tokens_mask = torch.zeros_like(inputs, dtype=torch.bool)
    for special_id in special_ids:
        special_tokens_mask |= inputs == special_id
    probability_matrix = torch.full(labels.shape, mlm_probability)
    probability_matrix.masked_fill_(special_tokens_mask, value=0.0)
    masked_indices = torch.bernoulli(probability_matrix, generator=generator).bool()
    labels[~masked_indices] = -100
    indices_replaced = torch.bernoulli(torch.full(labels.shape, 0.8), generator=generator).bool() & masked_indices
    inputs[indices_replaced] = mask_id
    indices_random = (torch.bernoulli(torch.full(labels.shape, 0.5), generator=generator).bool()
                      & masked_indices & ~indices_replaced)
    random_words = torch.randint(vocab_size, labels.shape, dtype=torch.long, generator=generator)
    inputs[indices_random] = random_words[indices_random]
    return inputs, labels
