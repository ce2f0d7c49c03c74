import torch
from torch import Tensor


def mask_tokens(input_ids: Tensor, mask_id: int, vocab_size: int, special_ids: list[int],
                generator: torch.Generator, mlm_probability: float = 0.15) -> tuple[Tensor, Tensor]:
    """BERT's masking: select mlm_probability of the non-special tokens; of those 80% -> [MASK],
    10% -> a random token, 10% unchanged; labels are the original tokens there, -100 elsewhere."""
    device = input_ids.device
    special = torch.isin(input_ids, torch.tensor(special_ids, dtype=input_ids.dtype, device=device))
    selected = torch.rand(input_ids.shape, generator=generator, device=device) < mlm_probability
    selected &= ~special                                             # specials are never predicted
    labels = input_ids.masked_fill(~selected, -100)                  # loss only on selected tokens

    action = torch.rand(input_ids.shape, generator=generator, device=device)
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator, device=device)
    masked_ids = input_ids.masked_fill(selected & (action < 0.8), mask_id)   # 80%: [MASK]
    use_random = selected & (action >= 0.8) & (action < 0.9)                 # 10%: a random token
    masked_ids = torch.where(use_random, random_ids, masked_ids)             # the last 10% unchanged
    return masked_ids, labels
