import torch


def sample_next_token(logits, generator, temperature=1.0, top_k=None, top_p=None):
    # Gumbel-max trick in float64: argmax(z + Gumbel noise) is a draw from softmax(z).
    x = logits.double()
    if temperature == 0:
        return x.argmax(-1)
    z = x / temperature
    neg_inf = torch.tensor(float("-inf"), dtype=z.dtype, device=z.device)
    if top_k is not None and top_k < z.shape[-1]:
        threshold = torch.sort(z, dim=-1, descending=True).values[:, top_k - 1: top_k]
        z = torch.where(z >= threshold, z, neg_inf)
    if top_p is not None:
        # Hugging Face's way: drop the ascending tail whose total is <= 1 - top_p.
        ascending, order = torch.sort(torch.softmax(z, -1), dim=-1)
        tail = torch.cumsum(ascending, -1) <= 1 - top_p
        tail[:, -1] = False
        drop = torch.zeros_like(tail)
        drop.scatter_(1, order, tail)
        z = torch.where(drop, neg_inf, z)
    uniform = torch.rand(z.shape, generator=generator, dtype=torch.float64, device=z.device)
    gumbel = -torch.log(-torch.log(uniform.clamp_min(1e-300)))
    return torch.argmax(z + gumbel, dim=-1)
