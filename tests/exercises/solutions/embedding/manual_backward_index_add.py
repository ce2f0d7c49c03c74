# llmprep: embedding
# A correct embedding in another style: index_select forward and a hand-written backward that
# accumulates repeated ids with index_add_ (plain assignment would keep only the last one).
import math

import torch


class _Lookup(torch.autograd.Function):
    @staticmethod
    def forward(ctx, ids, weight):
        ctx.save_for_backward(ids)
        ctx.vocab = weight.shape[0]
        return weight.index_select(0, ids.reshape(-1)).reshape(*ids.shape, weight.shape[1])

    @staticmethod
    def backward(ctx, grad_out):
        (ids,) = ctx.saved_tensors
        grad_weight = grad_out.new_zeros(ctx.vocab, grad_out.shape[-1])
        grad_weight.index_add_(0, ids.reshape(-1), grad_out.reshape(-1, grad_out.shape[-1]))
        return None, grad_weight


def embedding(ids, weight, scale=False):
    out = _Lookup.apply(ids, weight)
    return out * math.sqrt(weight.shape[1]) if scale else out
