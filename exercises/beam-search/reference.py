import torch


def beam_search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    """The beam_width best hypotheses after the prompt and their length-penalized scores."""
    P = prompt_ids.numel()
    beams = [(prompt_ids.tolist(), 0.0)]                # live hypotheses: (tokens, sum of log-probs)
    finished = []                                       # (generated tokens, score)
    for step in range(1, max_new_tokens + 1):
        ids = torch.tensor([tokens for tokens, _ in beams], device=prompt_ids.device)  # (n, P + step - 1)
        logp = torch.log_softmax(model(ids), dim=-1)                                    # (n, V)
        totals = torch.tensor([s for _, s in beams], dtype=torch.float64, device=logp.device)[:, None] + logp
        V = logp.size(-1)
        order = totals.flatten().argsort(descending=True).tolist()  # every (beam, token), best first
        next_beams = []
        for rank, flat in enumerate(order):
            beam, token = divmod(flat, V)
            total = totals[beam, token].item()
            if token == eos_id:
                if rank < beam_width:                   # an EOS among the best beam_width ends a hypothesis
                    finished.append((beams[beam][0][P:] + [token], total / step ** length_penalty))
                continue
            next_beams.append((beams[beam][0] + [token], total))
            if len(next_beams) == beam_width:
                break
        beams = next_beams
    finished += [(tokens[P:], total / max_new_tokens ** length_penalty) for tokens, total in beams]
    finished.sort(key=lambda hypothesis: -hypothesis[1])
    best = finished[:beam_width]
    return [torch.tensor(tokens) for tokens, _ in best], torch.tensor([score for _, score in best])
