import torch


def rope_scaled(
    x: torch.Tensor,
    positions: torch.Tensor,
    base: float = 10000.0,
    scaling: str = "none",
    factor: float = 1.0,
    original_max_position: int = 2048,
) -> torch.Tensor:
    """RoPE (interleaved pairs, as in the rope exercise) with context-extension scaling.

    x: (..., T, D), D even; positions: (T,) int64 absolute positions (may exceed the trained length).
    Pair i = (x[..., 2i], x[..., 2i+1]) at position p is rotated by the angle p · base^(-2i/D), where
      scaling="none":        as is
      scaling="linear":      p becomes p / factor                          (position interpolation)
      scaling="ntk":         base becomes base · factor^(D / (D - 2))      (NTK-aware)
      scaling="dynamic-ntk": with L = max(positions) + 1, when L > original_max_position,
                             base becomes base · (factor · L / original_max_position - (factor - 1))^(D / (D - 2))
      scaling="yarn":        θ_i = base^(-2i/D); r_i = original_max_position · θ_i / (2π) (turns in the trained
                             context); γ_i = clamp((r_i - 1) / 31, 0, 1); θ_i becomes (1 - γ_i) θ_i / factor + γ_i θ_i,
                             and cos and sin are multiplied by 0.1 · ln(factor) + 1
    Compute the angles in float64 (positions reach tens of thousands), then cast cos and sin to x.dtype.
    """
    raise NotImplementedError("write rope_scaled")
