"""Cases for the position-wise FFN: the corrected 004 example (ReLU and GELU), GELU on chosen
pre-activations, SwiGLU with and without biases, batch shapes, random ones."""

import math

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _gelu(z):
    """Exact GELU by the closed form, element by element (independent of the reference's code)."""
    return [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z]


def _weights(gen, d_model, d_ff, activation, bias=True, gain=1.5):
    """(w1, b1, w2, b2) and, for SwiGLU, w3 and b3; weights ~ gain·N(0, 1/fan_in), so the
    pre-activations spread over [-3, 3], where ReLU, GELU and its tanh approximation differ."""
    def matrix(rows, cols):
        return torch.randn(rows, cols, generator=gen, dtype=torch.float64) * gain / math.sqrt(cols)

    def vector(n):
        return torch.randn(n, generator=gen, dtype=torch.float64) * 0.5 if bias else None

    args = (matrix(d_ff, d_model), vector(d_ff), matrix(d_model, d_ff), vector(d_model))
    if activation != "swiglu":
        return args, {} if activation == "relu" else {"activation": activation}
    return args, {"activation": "swiglu", "w3": matrix(d_ff, d_model), "b3": vector(d_ff)}


def _case(name, x, weights):
    args, kwargs = weights
    return Case(name, (x, *args), kwargs)


def fixed_cases():
    """The corrected worked example of TOPICS.md (004), GELU values, every option, edge shapes."""
    gen = torch.Generator().manual_seed(2016)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64) * 1.5

    w1, b1 = _t([[1, -1], [0.5, 2], [-1, 1]]), _t([0, -1, 0.5])
    w2, b2 = _t([[1, -2, 0.5], [-1, 1, 1]]), _t([0.1, -0.2])
    x004 = _t([1, 1])
    h = _gelu([0.0, 1.5, 0.5])  # W1 x + b1 = [0, 1.5, 0.5]
    gelu004 = _t([h[0] - 2 * h[1] + 0.5 * h[2] + 0.1, -h[0] + h[1] + h[2] - 0.2])
    # W1 = diag(z), W2 = I, x = 1: the output is GELU(z) itself, at points where tanh-GELU is off by up to 4e-4.
    z = [-3.5, -3.0, -2.5, -1.5, -1.0, 1.0, 2.5]
    eye = torch.eye(len(z), dtype=torch.float64)
    zeros = torch.zeros(len(z), dtype=torch.float64)
    ones = torch.ones(len(z), dtype=torch.float64)
    return [
        # 004's form ReLU(W2 ReLU(W1 x + b1)) gives [0, 2]; W2 relu(W1 x + b1) + b2 = [-2.65, 1.8].
        # W1 x + b1 has an exact 0, where ReLU has no derivative: no gradient check here.
        Case("004-example-relu", (x004, w1, b1, w2, b2), expected=_t([-2.65, 1.8]), grad=False),
        Case("004-example-gelu", (x004, w1, b1, w2, b2), {"activation": "gelu"}, expected=gelu004),
        Case("gelu-values", (ones, torch.diag(_t(z)), zeros, eye, zeros), {"activation": "gelu"},
             expected=_t(_gelu(z))),
        _case("relu-B2-T3", randn(2, 3, 4), _weights(gen, 4, 16, "relu")),
        _case("gelu-one-token", randn(1, 6), _weights(gen, 6, 24, "gelu")),
        _case("swiglu-with-biases", randn(2, 5, 4), _weights(gen, 4, 12, "swiglu")),
        _case("swiglu-no-biases-llama", randn(3, 6), _weights(gen, 6, 16, "swiglu", bias=False)),
        _case("d-ff-1", randn(4, 3), _weights(gen, 3, 1, "relu")),
    ]


def random_cases(gen, count):
    """`count` random FFNs: ReLU, GELU and SwiGLU in turn (SwiGLU with or without biases),
    0-2 batch dims, d_model 1-8, d_ff 1-16."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        activation = ("relu", "gelu", "swiglu")[i % 3]
        batch = [size(1, 4) for _ in range(size(0, 2))]
        d_model, d_ff = size(1, 8), size(1, 16)
        x = torch.randn(*batch, d_model, generator=gen, dtype=torch.float64) * 1.5
        bias = activation != "swiglu" or size(0, 1) == 1
        cases.append(_case(f"random-{i}-{activation}", x, _weights(gen, d_model, d_ff, activation, bias=bias)))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, d):
    """N tokens × d_model → d_ff = 4·d_model, GELU."""
    d_ff = 4 * d
    weights = (torch.randn(d_ff, d, generator=gen) / d ** 0.5, torch.zeros(d_ff),
               torch.randn(d, d_ff, generator=gen) / d_ff ** 0.5, torch.zeros(d))
    return Case(f"N={N}", (torch.randn(N, d, generator=gen), *weights), {"activation": "gelu"})


def flops(case):
    """2·N·d_model·d_ff per linear layer: two of them (three for SwiGLU); activations ignored."""
    x, w1 = case.args[0], case.args[1]
    tokens, (d_ff, d_model) = x.numel() // x.shape[-1], w1.shape
    layers = 3 if case.kwargs.get("activation") == "swiglu" else 2
    return layers * 2 * tokens * d_model * d_ff


def bytes_moved(case):
    """Reading x and every weight and bias, writing the output."""
    tensors = [a for a in case.args if isinstance(a, torch.Tensor)]
    tensors += [v for v in case.kwargs.values() if isinstance(v, torch.Tensor)]
    return (sum(t.numel() for t in tensors) + case.args[0].numel()) * case.args[0].element_size()


# No built-in: PyTorch has no feed-forward built-in (nn.TransformerEncoderLayer hides it inside)


BENCH = Bench(dims={"N": [512, 2048, 8192]}, fixed={"d": 768}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"N": 128, "d": 256})
