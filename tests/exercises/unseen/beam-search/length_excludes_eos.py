r"""The length in the length penalty does not count the EOS token (L = generated tokens before EOS).

fact: wrong scores for the hypotheses that end with EOS (their length counted without the EOS)
named_if: \bEOS\b(?!-)|eos_id
"""
import torch


def length(seq, eos_id):
    return max(1, len([t for t in seq if t != eos_id]))


def beam_search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    prompt = prompt_ids.tolist()
    beams = [(prompt, torch.zeros(()))]
    finished = []
    for _ in range(max_new_tokens):
        if not beams:
            break
        ids = torch.tensor([seq for seq, _ in beams], dtype=torch.long)
        with torch.no_grad():
            logp = torch.log_softmax(model(ids), dim=-1)
        totals = torch.stack([score for _, score in beams])[:, None] + logp
        vocab = totals.shape[-1]
        live = []
        for rank, flat in enumerate(totals.flatten().argsort(descending=True).tolist()):
            b, tok = divmod(flat, vocab)
            seq = beams[b][0] + [tok]
            if tok == eos_id:
                if rank < beam_width:
                    finished.append((seq[len(prompt):], totals[b, tok]))
                continue
            live.append((seq, totals[b, tok]))
            if len(live) == beam_width:
                break
        beams = live
    finished += [(seq[len(prompt):], score) for seq, score in beams]
    scored = [(seq, score / length(seq, eos_id) ** length_penalty) for seq, score in finished]
    scored.sort(key=lambda h: -h[1].item())
    best = scored[:beam_width]
    return [torch.tensor(seq, dtype=torch.long) for seq, _ in best], torch.stack([s for _, s in best])
