import torch


def speculative_step(
    target_probs: torch.Tensor,
    draft_probs: torch.Tensor,
    draft_tokens: torch.Tensor,
    generator: torch.Generator,
) -> torch.Tensor:
    """One step of speculative sampling, for a batch of B sequences.

    target_probs: (B, K+1, V) the target model's next-token probabilities at the K drafted positions
                  and one more (for the bonus token).
    draft_probs:  (B, K, V) the draft model's probabilities q_i that draft_tokens were sampled from.
    draft_tokens: (B, K) int64.
    Returns (B, K+1) int64: the accepted draft tokens (x_i accepted with probability min(1, p_i(x_i)/q_i(x_i)),
    stopping at the first rejection), then one token sampled from norm(max(0, p_n - q_n)) at the rejected
    position n, or from p_K when all K were accepted; the remaining positions are -1.
    Draw every random number from `generator`.
    """
    raise NotImplementedError("write speculative_step")
