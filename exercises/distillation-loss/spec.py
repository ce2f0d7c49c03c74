"""Cases for the distillation loss: the worked example, T = 1, alpha at 0 and 1, a confident
teacher whose softened probabilities underflow, and random batches."""

import torch
import torch.nn.functional as F

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "scalar": ("the loss has shape {shape}: return one scalar (shape ())",
               "损失的形状是 {shape}：请返回一个标量（形状 ()）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _logits(gen, N, C, spread=3.0):
    return torch.randn(N, C, generator=gen, dtype=torch.float64) * spread


def _targets(gen, N, C):
    return torch.randint(0, C, (N,), generator=gen)


def builtin(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    """The same loss from PyTorch's own pieces: F.cross_entropy and F.kl_div(reduction="batchmean")."""
    hard = F.cross_entropy(student_logits, targets)
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=-1), F.log_softmax(teacher_logits / T, dim=-1),
                    reduction="batchmean", log_target=True)
    return alpha * hard + (1 - alpha) * T**2 * soft


def _case(name, student, teacher, targets, T, alpha, **extra):
    # `expected` from F.kl_div: the content tests check that the reference reproduces it
    expected = builtin(student, teacher, targets, T, alpha).detach()
    return Case(name, (student, teacher, targets), {"T": T, "alpha": alpha}, expected=expected, **extra)


def fixed_cases():
    """The worked example, both alpha extremes, T = 1, batch 1, two classes, a confident teacher."""
    gen = torch.Generator().manual_seed(2015)
    worked = Case("worked-example",
                  (torch.tensor([[3.0, 1.0, 0.2]], dtype=torch.float64),
                   torch.tensor([[2.0, 2.0, 0.0]], dtype=torch.float64), torch.tensor([1])),
                  {"T": 2.0, "alpha": 0.5}, expected=torch.tensor(1.2925113920720273, dtype=torch.float64))
    # teacher logits 120 apart: at T = 1 its smallest probabilities underflow to 0 in float32
    confident = _logits(gen, 3, 5)
    confident[:, 0] += 120.0
    return [
        worked,
        _case("temperature-1", _logits(gen, 4, 6), _logits(gen, 4, 6), _targets(gen, 4, 6), 1.0, 0.3),
        _case("alpha-0-only-kl", _logits(gen, 3, 5), _logits(gen, 3, 5), _targets(gen, 3, 5), 4.0, 0.0),
        _case("alpha-1-only-ce", _logits(gen, 3, 5), _logits(gen, 3, 5), _targets(gen, 3, 5), 3.0, 1.0),
        _case("batch-1-two-classes", _logits(gen, 1, 2), _logits(gen, 1, 2), _targets(gen, 1, 2), 2.5, 0.7),
        _case("confident-teacher", _logits(gen, 3, 5), confident, _targets(gen, 3, 5), 1.0, 0.2),
        _case("high-temperature", _logits(gen, 5, 8), _logits(gen, 5, 8), _targets(gen, 5, 8), 8.0, 0.1),
    ]


def random_cases(gen, count):
    """`count` batches of 1-6 rows and 2-12 classes, T in [1.5, 5], alpha in [0.1, 0.9]."""
    cases = []
    for i in range(count):
        N = int(torch.randint(1, 7, (1,), generator=gen))
        C = int(torch.randint(2, 13, (1,), generator=gen))
        T = round(1.5 + 3.5 * float(torch.rand(1, generator=gen)), 3)
        alpha = round(0.1 + 0.8 * float(torch.rand(1, generator=gen)), 3)
        student, teacher = _logits(gen, N, C), _logits(gen, N, C)
        cases.append(Case(f"random-{i}", (student, teacher, _targets(gen, N, C)), {"T": T, "alpha": alpha}))
    return cases


def properties(case, output, reference):
    """The loss is a scalar (shape ()), not one value per row."""
    if isinstance(output, torch.Tensor) and output.dim() != 0:
        return [_say("scalar", shape=tuple(output.shape))]
    return []


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, V):
    """N rows over a V-token vocabulary."""
    return Case(f"N={N}", (torch.randn(N, V, generator=gen), torch.randn(N, V, generator=gen),
                           torch.randint(0, V, (N,), generator=gen)), {"T": 2.0, "alpha": 0.5})


def flops(case):
    """About 15 per logit: two log-softmaxes at temperature T, one at T = 1, and the KL sum."""
    return 15 * case.args[0].numel()


def bytes_moved(case):
    """Read both logit tensors and the targets; the output is one number."""
    student, teacher, targets = case.args
    return (student.numel() + teacher.numel()) * student.element_size() + targets.numel() * 8


BENCH = Bench(dims={"N": [64, 512, 2048]}, fixed={"V": 32000}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 16})
