import torch


def sample_next_token(logits, generator, temperature=1.0, top_k=None, top_p=None):
    # Per-row probabilities, then one uniform per row looked up in the cumulative distribution.
    if temperature == 0:
        return torch.argmax(logits, dim=1)
    probs = torch.softmax(logits.float() / temperature, dim=1)
    keep = torch.ones_like(probs, dtype=torch.bool)
    if top_k is not None:
        k = min(top_k, probs.shape[1])
        keep = torch.zeros_like(keep).scatter(1, probs.topk(k, dim=1).indices, True)
        probs = torch.where(keep, probs, 0.0)
        probs = probs / probs.sum(dim=1, keepdim=True)
    if top_p is not None:
        ranked, order = probs.sort(dim=1, descending=True)
        ahead = torch.cat([torch.zeros_like(ranked[:, :1]), ranked.cumsum(dim=1)[:, :-1]], dim=1)
        in_nucleus = torch.zeros_like(keep).scatter(1, order, ahead < top_p)
        probs = torch.where(in_nucleus, probs, 0.0)
    cdf = (probs / probs.sum(dim=1, keepdim=True)).cumsum(dim=1)
    u = torch.rand(probs.shape[0], 1, generator=generator, device=probs.device)
    tokens = torch.searchsorted(cdf, u * cdf[:, -1:], right=True).squeeze(1)
    return tokens.clamp_max(probs.shape[1] - 1)
