r"""The step keeps the top beam_width candidates and splits them: an EOS among them takes a live beam's slot.

fact: fewer live beams after a step where an EOS candidate finishes (the EOS takes a beam's slot)
named_if: \bEOS\b(?!-)|eos_id|live beams?
"""
import torch


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
        for flat in totals.flatten().topk(beam_width).indices.tolist():
            b, tok = divmod(flat, vocab)
            seq = beams[b][0] + [tok]
            if tok == eos_id:
                finished.append((seq[len(prompt):], totals[b, tok]))
            else:
                live.append((seq, totals[b, tok]))
        beams = live
    finished += [(seq[len(prompt):], score) for seq, score in beams]
    scored = [(seq, score / len(seq) ** length_penalty) for seq, score in finished]
    scored.sort(key=lambda h: -h[1].item())
    best = scored[:beam_width]
    return [torch.tensor(seq, dtype=torch.long) for seq, _ in best], torch.stack([s for _, s in best])
