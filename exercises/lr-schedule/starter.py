def warmup_cosine_lr(step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """The learning rate at `step` (counted from 0): linear warmup from 0 to peak_lr over warmup_steps,
    then cosine decay from peak_lr to min_lr, reached at total_steps; min_lr after that."""
    raise NotImplementedError("write warmup_cosine_lr")


def noam_lr(step: int, d_model: int, warmup_steps: int) -> float:
    """d_model^-0.5 · min(step^-0.5, step · warmup_steps^-1.5) (Vaswani et al. 2017); step 0 gives
    the same value as step 1."""
    raise NotImplementedError("write noam_lr")
