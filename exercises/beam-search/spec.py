"""Cases for beam search on a seeded tiny language model (harness.py): greedy (beam 1), length
penalties 0, 0.5, 1 and 2, an EOS that is never chosen and one chosen often, one step, a one-token
prompt, a wide beam, and random ones. Tokens must equal the reference's exactly, scores within the
tolerance."""

import importlib.util
from pathlib import Path

import torch

from llmprep.exercise_api import Case

MARGIN = 1e-3  # every ranking decision of the search is at least this far from a tie (in float64)


def _tiny_lm():
    """TinyLM from this exercise's harness.py (the spec runs in llmprep's process; harness.py imports torch only)."""
    spec = importlib.util.spec_from_file_location("llmprep_beam_search_tiny_lm", Path(__file__).with_name("harness.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TinyLM


def _clear_of_ties(config, prompt, beam_width, max_new_tokens, eos, length_penalty):
    """Run the search in float64 and check that no decision it makes sits within MARGIN of a tie: the
    order of the candidates that decide the next beams and the finished hypotheses, and the final order."""
    model = _tiny_lm()(eos_id=eos, **config)
    beams, finished = [(prompt.tolist(), 0.0)], []
    for step in range(1, max_new_tokens + 1):
        logp = torch.log_softmax(model(torch.tensor([t for t, _ in beams])), dim=-1)
        totals = torch.tensor([s for _, s in beams], dtype=torch.float64)[:, None] + logp
        ranked = totals.flatten().sort(descending=True)
        head = ranked.values[: 2 * beam_width + 1]
        if head.numel() > 1 and float((head[:-1] - head[1:]).min()) < MARGIN:
            return False
        V, live = logp.size(-1), []
        for rank, flat in enumerate(ranked.indices.tolist()):
            beam, token = divmod(flat, V)
            total = float(totals[beam, token])
            if token == eos:
                if rank < beam_width:
                    finished.append(total / step ** length_penalty)
                continue
            live.append((beams[beam][0] + [token], total))
            if len(live) == beam_width:
                break
        beams = live
    scores = sorted(finished + [s / max_new_tokens ** length_penalty for _, s in beams], reverse=True)
    return all(a - b >= MARGIN for a, b in zip(scores[:beam_width], scores[1:beam_width + 1], strict=False))


def _case(name, gen, *, vocab, d_model=6, prompt_len=3, beam_width=2, max_new_tokens=4, eos_bias=0.5,
          length_penalty=1.0, eos_id=None):
    eos = int(torch.randint(0, vocab, (1,), generator=gen)) if eos_id is None else eos_id
    prompt = torch.randint(0, vocab - 1, (prompt_len,), generator=gen)
    prompt = prompt + (prompt >= eos).long()                     # any token but EOS
    while True:  # a model whose search has no near-tie (float32 and float64 must decide alike)
        config = {"vocab_size": vocab, "d_model": d_model, "eos_bias": eos_bias,
                  "weights_seed": int(torch.randint(0, 2**31, (1,), generator=gen))}
        if _clear_of_ties(config, prompt, beam_width, max_new_tokens, eos, length_penalty):
            break
    # (model, prompt_ids, beam_width, max_new_tokens, eos_id): the harness builds the model from `init`
    return Case(name, (None, prompt, beam_width, max_new_tokens, eos), {"length_penalty": length_penalty},
                init=config)


def fixed_cases():
    gen = torch.Generator().manual_seed(1977)
    return [
        _case("worked-example", gen, vocab=5, prompt_len=2, beam_width=2, max_new_tokens=3, eos_id=0, eos_bias=1.0),
        _case("greedy-beam-1", gen, vocab=7, beam_width=1, max_new_tokens=5),
        _case("length-penalty-0", gen, vocab=6, beam_width=3, max_new_tokens=5, length_penalty=0.0, eos_bias=1.0),
        _case("length-penalty-2", gen, vocab=6, beam_width=3, max_new_tokens=5, length_penalty=2.0, eos_bias=1.0),
        _case("length-penalty-0.5", gen, vocab=8, beam_width=2, max_new_tokens=6, length_penalty=0.5),
        _case("eos-never-chosen", gen, vocab=6, beam_width=3, max_new_tokens=4, eos_bias=-20.0),
        _case("eos-chosen-often", gen, vocab=5, beam_width=3, max_new_tokens=5, eos_bias=2.5),
        _case("one-step", gen, vocab=6, beam_width=3, max_new_tokens=1),
        _case("one-token-prompt", gen, vocab=6, prompt_len=1, beam_width=2, max_new_tokens=4),
        _case("wide-beam", gen, vocab=9, d_model=8, beam_width=5, max_new_tokens=4, eos_bias=1.5),
    ]


def random_cases(gen, count):
    """`count` random searches: vocabulary 4-10, beams 1-4, 1-6 new tokens, penalties 0-2."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        cases.append(_case(f"random-{i}", gen, vocab=size(4, 10), d_model=size(4, 8), prompt_len=size(1, 5),
                           beam_width=size(1, 4), max_new_tokens=size(1, 6),
                           eos_bias=(-1.0, 0.0, 1.0, 2.0)[size(0, 3)],
                           length_penalty=(0.0, 0.5, 1.0, 1.5, 2.0)[size(0, 4)]))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, W, V, d):
    """A beam of W over a vocabulary of V for N new tokens (the EOS never wins: every step runs W beams)."""
    return _case(f"N={N}", gen, vocab=V, d_model=d, prompt_len=8, beam_width=W, max_new_tokens=N, eos_bias=-30.0)


def flops(case):
    """Per step and beam: the model's two matmuls (2·d² + 2·d·V) and the log-softmax (~3·V)."""
    init, (_, _, W, N, _) = case.init, case.args
    d, V = init["d_model"], init["vocab_size"]
    return N * W * (2 * d * d + 2 * d * V + 3 * V)


def bytes_moved(case):
    """Reading the model's weights once per step."""
    init, (_, _, _, N, _) = case.init, case.args
    d, V = init["d_model"], init["vocab_size"]
    return N * (2 * V * d + d * d) * 4


# No built-in: PyTorch has no beam search


BENCH = Bench(dims={"N": [8, 16, 32]}, fixed={"W": 4, "V": 1000, "d": 64}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"N": 4, "V": 256})
