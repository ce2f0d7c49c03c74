import torch


def beam_search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    # beams as one (n, T) tensor; the finished pool as Python lists; topk instead of a full sort
    seqs = prompt_ids[None, :]
    totals = torch.zeros(1, dtype=torch.float64)
    pool_tokens, pool_scores = [], []
    P = prompt_ids.numel()
    for step in range(1, max_new_tokens + 1):
        cand = totals[:, None] + torch.log_softmax(model(seqs).double(), dim=-1)
        V = cand.shape[1]
        k = min(2 * beam_width, cand.numel())        # at most beam_width EOS can come first
        best, where = cand.flatten().topk(k)
        keep_rows, keep_tokens, keep_totals = [], [], []
        for rank in range(k):
            b, t = int(where[rank]) // V, int(where[rank]) % V
            if t == eos_id:
                if rank < beam_width:
                    pool_tokens.append(torch.cat([seqs[b, P:], torch.tensor([t])]))
                    pool_scores.append(float(best[rank]) / step ** length_penalty)
            elif len(keep_rows) < beam_width:
                keep_rows.append(b)
                keep_tokens.append(t)
                keep_totals.append(float(best[rank]))
        seqs = torch.cat([seqs[keep_rows], torch.tensor(keep_tokens)[:, None]], dim=1)
        totals = torch.tensor(keep_totals, dtype=torch.float64)
    for row in range(seqs.shape[0]):
        pool_tokens.append(seqs[row, P:])
        pool_scores.append(float(totals[row]) / max_new_tokens ** length_penalty)
    scores = torch.tensor(pool_scores, dtype=torch.float64)
    order = scores.argsort(descending=True, stable=True)[:beam_width]
    return [pool_tokens[i] for i in order.tolist()], scores[order]
