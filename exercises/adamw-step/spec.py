"""Cases for adamw-step: ten steps against torch.optim.AdamW, every hyperparameter, random."""

import torch

from llmprep.exercise_api import Case

STEPS = 10


def _numel(shape):
    size = 1
    for s in shape:
        size *= s
    return size


def _problem(gen, shapes, grad_scale=1.0, steps=STEPS):
    total = sum(_numel(s) for s in shapes)
    params = torch.randn(total, generator=gen, dtype=torch.float64)
    # Gradients at least ~1e-2 so that √v̂ >> eps: both places of eps (torch's √v̂ + eps and the
    # paper's "efficient" form) then agree far inside the tolerance.
    grads = torch.randn(steps, total, generator=gen, dtype=torch.float64) * grad_scale
    return params, grads


def _torch_adamw(params, grads, shapes, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """The parameters after each step of torch.optim.AdamW itself, flattened: (steps, P)."""
    tensors, start = [], 0
    for shape in shapes:
        size = _numel(shape)
        tensors.append(params[start:start + size].reshape(shape).clone().requires_grad_(True))
        start += size
    optimizer = torch.optim.AdamW(tensors, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    trajectory = []
    for flat_grad in grads:
        start = 0
        for t in tensors:
            t.grad = flat_grad[start:start + t.numel()].reshape(t.shape).clone()
            start += t.numel()
        optimizer.step()
        trajectory.append(torch.cat([t.detach().reshape(-1) for t in tensors]))
    return torch.stack(trajectory)


def fixed_cases():
    """torch.optim.AdamW's own trajectories as expected values, then every hyperparameter in turn."""
    gen = torch.Generator().manual_seed(1017)
    shapes = [(3, 4), (5,), ()]
    params, grads = _problem(gen, shapes)
    large = {"lr": 0.1, "weight_decay": 0.5}
    big_params, big_grads = _problem(gen, shapes)
    zero_grad_params, zero_grads = _problem(gen, [(2, 3), (4,)])
    zero_grads[:, 6:] = 0.0  # the second parameter never gets a gradient: only weight decay moves it
    return [
        Case("torch-defaults", (params, grads), {"shapes": shapes},
             expected=_torch_adamw(params, grads, shapes)),
        Case("torch-large-lr-and-decay", (big_params, big_grads), {"shapes": shapes, **large},
             expected=_torch_adamw(big_params, big_grads, shapes, **large)),
        Case("no-weight-decay", _problem(gen, [(4, 2)]), {"shapes": [(4, 2)], "lr": 0.01, "weight_decay": 0.0}),
        Case("betas-0.8-0.95", _problem(gen, [(6,)]), {"shapes": [(6,)], "lr": 0.05, "betas": (0.8, 0.95)}),
        Case("eps-1e-3", _problem(gen, [(2, 2)], grad_scale=0.01), {"shapes": [(2, 2)], "lr": 0.01, "eps": 1e-3}),
        Case("a-parameter-without-gradient", (zero_grad_params, zero_grads),
             {"shapes": [(2, 3), (4,)], "lr": 0.05, "weight_decay": 0.2}),
        Case("one-scalar-parameter", _problem(gen, [()], grad_scale=3.0),
             {"shapes": [()], "lr": 0.02, "weight_decay": 0.1}),
    ]


def random_cases(gen, count):
    """`count` random problems: 1-3 parameters of up to 2 dims, lr 1e-3..1e-1, decay 0..0.5, ten steps."""
    cases = []

    def integer(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        shapes = [tuple(integer(1, 5) for _ in range(integer(0, 2))) for _ in range(integer(1, 3))]
        grad_scale = [0.05, 1.0, 20.0][i % 3]
        params, grads = _problem(gen, shapes, grad_scale)
        lr = float(10 ** (-3 + 2 * torch.rand(1, generator=gen)))
        kwargs = {"shapes": shapes, "lr": round(lr, 6), "weight_decay": [0.0, 0.01, 0.1, 0.5][integer(0, 3)],
                  "betas": ((0.9, 0.999), (0.9, 0.95), (0.8, 0.99))[integer(0, 2)]}
        cases.append(Case(f"random-{i}", (params, grads), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, P):
    """One step over P parameters (float32)."""
    return Case(f"P={P}", (torch.randn(P, generator=gen), torch.randn(1, P, generator=gen) * 0.1), {"shapes": [(P,)]})


def flops(case):
    """About 14 FLOPs per parameter per step: decay 1, m 3, v 4, bias corrections 2, sqrt + eps 2, update 2."""
    return 14 * case.args[1].numel()


def bytes_moved(case):
    """Per step: read p, g, m, v and write p, m, v."""
    return 7 * case.args[1].numel() * case.args[1].element_size()


def builtin(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """torch.optim.AdamW's functional update (the one its step() runs) behind this exercise's interface."""
    from torch.optim.adamw import adamw

    state_steps = [torch.tensor(float(step - 1)) for _ in params]  # adamw counts them up itself
    adamw(params, grads, exp_avgs, exp_avg_sqs, [], state_steps, amsgrad=False, beta1=betas[0], beta2=betas[1],
          lr=lr, weight_decay=weight_decay, eps=eps, maximize=False)


BENCH = Bench(dims={"P": [2**20, 2**24, 2**26]}, make=_bench_case, flops=flops, bytes_moved=bytes_moved,
              builtin=builtin, quick={"P": 2**18})
