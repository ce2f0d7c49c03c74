import torch


def beam_search(
    model,
    prompt_ids: torch.Tensor,
    beam_width: int,
    max_new_tokens: int,
    eos_id: int,
    length_penalty: float = 1.0,
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Beam search on a tiny language model.

    model(ids: (N, T) int64) -> (N, V) logits of the next token after each of the N sequences.
    prompt_ids: (P,) int64, one prompt. Start from ONE beam (the prompt, log-prob 0).
    Each step: every (live beam, token) candidate scores beam log-prob + log_softmax(logits)[token];
    walk the candidates best first: an EOS candidate ranked among the best beam_width finishes a
    hypothesis (other EOS candidates are skipped); other candidates become the next live beams until
    there are beam_width of them. After max_new_tokens steps the live beams finish too.
    Score of a finished hypothesis: sum of log-probs / (number of generated tokens, EOS included) ** length_penalty.
    Returns (sequences, scores): the beam_width best finished hypotheses, best first; each sequence is
    a 1-D int64 tensor of the GENERATED tokens (no prompt), scores a (beam_width,) tensor.
    """
    raise NotImplementedError("write beam_search")
