import torch


def mask_tokens(input_ids: torch.Tensor, mask_id: int, vocab_size: int, special_ids: list[int],
                generator: torch.Generator, mlm_probability: float = 0.15) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's masked-language-model corruption of input_ids (any shape, int64).

    Select each token whose id is not in special_ids independently with probability
    mlm_probability. Of the selected tokens, 80% become mask_id, 10% a token drawn uniformly
    from [0, vocab_size), 10% stay unchanged. Return (masked_ids, labels): masked_ids like
    input_ids; labels int64, the original token at selected positions and -100 elsewhere.
    Draw every random number from `generator`. Do not modify input_ids in place.
    """
    raise NotImplementedError("write mask_tokens")
