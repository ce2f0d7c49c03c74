"""Runs train_step twice in a row on copies of one small seeded model, with SGD and with AdamW.

inputs["args"] = (initial_weights,): every parameter of TinyLM flattened, in parameters() order;
inputs["kwargs"] holds input_ids (B, T) and optionally max_grad_norm; inputs["init"] holds vocab
and d_model.
Returns, per optimizer and per call: the returned loss, every parameter, and the gradients left
in .grad (they show whether the clipping came before the step). Imports only torch: it runs
inside the grading worker too.
"""

import copy

import torch
from torch import nn

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "loss-not-float": ("train_step returned {type}: return the loss as a Python float (loss.item()), "
                       "taken before optimizer.step()",
                       "train_step 返回了 {type}：请把损失作为 Python float 返回（loss.item()），在 optimizer.step() 之前取"),
    "no-gradient": ("after call {call} ({name}) no parameter has a gradient: zero the gradients at the start of "
                    "the step, not after optimizer.step(); the checker reads .grad to see that you clipped before "
                    "stepping",
                    "第 {call} 次调用（{name}）之后没有任何参数有梯度：请在这一步开始时清零梯度，而不是在 "
                    "optimizer.step() 之后；检查器读取 .grad 来确认你在更新前做了裁剪"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


class TinyLM(nn.Module):
    """Embedding, a causal running mean over positions, a tanh layer, vocabulary logits."""

    def __init__(self, vocab, d_model):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.mix = nn.Linear(d_model, d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, input_ids):
        x = self.embed(input_ids)  # (B, T, d_model)
        positions = torch.arange(1, input_ids.shape[1] + 1, device=x.device, dtype=x.dtype)
        x = x.cumsum(dim=1) / positions.view(1, -1, 1)  # position t sees tokens 0..t only
        return self.head(torch.tanh(self.mix(x)))  # (B, T, vocab)


OPTIMIZERS = {
    "sgd": lambda params: torch.optim.SGD(params, lr=0.5, momentum=0.9),
    # eps = 1e-4 keeps AdamW's first step (≈ lr·sign(g)) from amplifying float32 rounding of tiny gradients.
    "adamw": lambda params: torch.optim.AdamW(params, lr=1e-2, eps=1e-4, weight_decay=0.1),
}


def run(entry, inputs):
    """Two calls per optimizer on a deep copy of the same model; losses, parameters and gradients after each."""
    kwargs = dict(inputs["kwargs"])
    (weights,) = inputs["args"]
    input_ids = kwargs.pop("input_ids")
    model = TinyLM(**inputs["init"]).to(device=weights.device, dtype=weights.dtype)
    nn.utils.vector_to_parameters(weights, model.parameters())
    results = {}
    for name, make_optimizer in OPTIMIZERS.items():
        replica = copy.deepcopy(model)
        optimizer = make_optimizer(replica.parameters())
        calls = []
        for call in (1, 2):
            loss = entry(replica, optimizer, input_ids.clone(), **kwargs)
            if not isinstance(loss, float):
                raise TypeError(_say("loss-not-float", type=type(loss).__name__))
            grads = {n: p.grad for n, p in replica.named_parameters()}
            if all(g is None or not bool(g.any()) for g in grads.values()):
                raise ValueError(_say("no-gradient", call=call, name=name))
            calls.append({
                "loss": torch.tensor(loss, dtype=weights.dtype, device=weights.device),
                "params": {n: p.detach().clone() for n, p in replica.named_parameters()},
                "grads": {n: torch.zeros_like(p) if g is None else g.detach().clone()
                          for (n, p), g in zip(replica.named_parameters(), grads.values(), strict=True)},
            })
        results[name] = calls
    return results
