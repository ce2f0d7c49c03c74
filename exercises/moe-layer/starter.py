import torch
from torch import nn


class MoELayer(nn.Module):
    """A top-k mixture-of-experts layer (Mixtral routing, Switch load-balancing loss).

    Parameters (names matter: the checker loads weights by name):
      router: nn.Linear(d_model, n_experts, bias=False)
      experts: nn.ModuleList of n_experts modules, each with w1, w3: nn.Linear(d_model, d_ff, bias=False)
               and w2: nn.Linear(d_ff, d_model, bias=False); expert(x) = w2(silu(w1 x) * w3 x).
    forward(x: (..., d_model)) -> (out: (..., d_model), aux_loss: scalar)
      probs = softmax(router(x)) over experts; keep the top_k, renormalize their probabilities to sum to 1;
      out = Σ weight · expert(x) over the kept experts.
      aux_loss = n_experts · Σ_i f_i · P_i (f_i: share of the N·top_k choices that picked expert i,
      P_i: mean probability of expert i over the N tokens).
      capacity_factor (optional): each expert takes at most ceil(capacity_factor · N · top_k / n_experts)
      assignments, first choices of all tokens (in token order) before second choices; the rest are dropped.
    """

    def __init__(self, d_model: int, d_ff: int, n_experts: int, top_k: int = 2, capacity_factor: float | None = None):
        super().__init__()
        raise NotImplementedError("write MoELayer.__init__")

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError("write MoELayer.forward")
