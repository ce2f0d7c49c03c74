# llmprep: layer-norm
# A correct LayerNorm in another style: torch.var_mean with correction=0, rsqrt, addcmul.
import torch


def layer_norm(x, weight, bias, eps=1e-5):
    var, mean = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
    return torch.addcmul(bias, (x - mean) * torch.rsqrt(var + eps), weight)
