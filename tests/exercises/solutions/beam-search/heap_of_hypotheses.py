import heapq
import math

import torch


def beam_search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    # candidates ranked with heapq.nlargest; log-probs taken with math.log of a hand softmax
    prompt = prompt_ids.tolist()
    live = [(0.0, [])]                      # (sum of log-probs, generated tokens)
    done = []
    for step in range(1, max_new_tokens + 1):
        logits = model(torch.tensor([prompt + gen for _, gen in live])).double()
        candidates = []
        for (total, gen), row in zip(live, logits.tolist(), strict=True):
            top = max(row)
            log_z = top + math.log(sum(math.exp(v - top) for v in row))
            candidates += [(total + v - log_z, gen, token) for token, v in enumerate(row)]
        ranked = heapq.nlargest(len(candidates), candidates, key=lambda c: c[0])
        live = []
        for rank, (total, gen, token) in enumerate(ranked):
            if token == eos_id:
                if rank < beam_width:
                    done.append((total / step ** length_penalty, gen + [token]))
            else:
                live.append((total, gen + [token]))
                if len(live) == beam_width:
                    break
    done += [(total / max_new_tokens ** length_penalty, gen) for total, gen in live]
    done.sort(key=lambda d: d[0], reverse=True)
    best = done[:beam_width]
    return [torch.tensor(gen, dtype=torch.int64) for _, gen in best], torch.tensor([s for s, _ in best])
