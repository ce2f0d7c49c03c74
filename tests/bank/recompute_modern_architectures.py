"""Numeric answers of questions/modern-architectures.yaml.

Shapes are built as real (meta or tiny) tensors and modules, and counted, rather than multiplied out by hand.
"""

from __future__ import annotations

import torch
from torch import nn


def _mla_cache_elements(layers: int = 61, latent: int = 512, rope_key: int = 64) -> int:
    with torch.device("meta"):
        cache = [(torch.empty(latent), torch.empty(rope_key)) for _ in range(layers)]
    return sum(c.numel() + k.numel() for c, k in cache)


def mla_bytes() -> int:
    return _mla_cache_elements() * torch.empty(0, dtype=torch.bfloat16).element_size()


def mha_over_mla() -> float:
    with torch.device("meta"):
        k, v = torch.empty(128, 128), torch.empty(128, 128)  # heads × head_dim
    return (k.numel() + v.numel()) * 61 / _mla_cache_elements()


def vit_tokens() -> int:
    image = torch.zeros(1, 3, 224, 224)
    patches = nn.Conv2d(3, 8, kernel_size=16, stride=16)(image).flatten(2)  # the patch embedding as ViT code writes it
    return patches.shape[-1] + 1  # + [class]


def llava_tokens() -> int:
    image = torch.zeros(1, 3, 336, 336)
    return nn.Unfold(kernel_size=14, stride=14)(image).shape[-1]


def swiglu_params() -> int:
    with torch.device("meta"):
        ffn = nn.ModuleList([nn.Linear(4096, 11008, bias=False), nn.Linear(4096, 11008, bias=False),
                             nn.Linear(11008, 4096, bias=False)])
    return sum(p.numel() for p in ffn.parameters())


def linear_attention_state() -> int:
    phi_k, v = torch.rand(5, 128), torch.rand(5, 128)
    state = torch.einsum("tk,tv->kv", phi_k, v)  # Σ_j φ(k_j) v_jᵀ
    return state.numel()


RECOMPUTE = {
    "modern-arch-mla-kv-bytes": mla_bytes,
    "modern-arch-mla-vs-mha-ratio": mha_over_mla,
    "modern-arch-vit-tokens": vit_tokens,
    "modern-arch-llava-visual-tokens": llava_tokens,
    "modern-arch-mamba-state-size": lambda: torch.empty(2 * 2560, 16).numel(),
    "modern-arch-swiglu-ffn-params": swiglu_params,
    "modern-arch-gqa-reduction": lambda: 64 / 8,
    "modern-arch-linear-attention-state": linear_attention_state,
    # Row 0 of the N×N logits: every column but the matching caption is a negative.
    "modern-arch-clip-negatives": lambda: int((torch.arange(32768) != 0).sum()),
}
