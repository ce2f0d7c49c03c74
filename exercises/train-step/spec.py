"""Cases for train-step: clipping on and off, the default max_grad_norm, short and long sequences, random."""

import torch

from llmprep.exercise_api import Case


def _initial_weights(gen, vocab, d_model):
    """TinyLM's parameters in parameters() order (embed, mix.weight, mix.bias, head.weight, head.bias)."""
    def uniform(*shape, bound):
        return (torch.rand(*shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound

    bound = d_model**-0.5
    parts = [torch.randn(vocab, d_model, generator=gen, dtype=torch.float64),
             uniform(d_model, d_model, bound=bound), uniform(d_model, bound=bound),
             uniform(vocab, d_model, bound=bound), uniform(vocab, bound=bound)]
    return torch.cat([p.reshape(-1) for p in parts])


def _case(name, gen, batch, length, vocab, d_model, **kwargs):
    input_ids = torch.randint(0, vocab, (batch, length), generator=gen)
    # The weights go first: the report then reads "model 299, input_ids 2×6" (the model's weights).
    return Case(name, (_initial_weights(gen, vocab, d_model),), {"input_ids": input_ids, **kwargs},
                init={"vocab": vocab, "d_model": d_model})


def fixed_cases():
    """Clipping that bites and clipping that does not, the default max_grad_norm, length 2, batch 1."""
    gen = torch.Generator().manual_seed(958)
    return [
        _case("clipping-active", gen, 2, 6, 11, 8, max_grad_norm=0.05),
        _case("clipping-inactive", gen, 3, 5, 9, 6, max_grad_norm=100.0),
        _case("default-max-grad-norm", gen, 2, 7, 13, 8),
        _case("length-2-one-target-per-row", gen, 4, 2, 7, 4, max_grad_norm=0.2),
        _case("batch-1", gen, 1, 9, 10, 6, max_grad_norm=0.1),
    ]


def random_cases(gen, count):
    """`count` random models (vocab 5-13, d_model 4-8) and batches (1-3 × 2-8), max_grad_norm 0.05 to 100."""
    def integer(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    return [_case(f"random-{i}", gen, integer(1, 3), integer(2, 8), integer(5, 13), integer(4, 8),
                  max_grad_norm=[0.05, 0.3, 1.0, 100.0][i % 4])
            for i in range(count)]
