"""Planning a bench run: the options, the device, the backends, the exercises and their sizes, and
the inputs of one size (made from the exercise's `BENCH` declaration, only when it is timed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep.bench import calls
from llmprep.errors import UserError
from llmprep.execution.device import resolve_device  # noqa: F401 - the bench reaches it through plan
from llmprep.exercise_api import Bench, BenchSize
from llmprep.exercises import Exercise, list_exercises
from llmprep.messages import said

BACKENDS = ("submission", "reference", "torch", "torch-compile", "onnxruntime")


@dataclass
class BenchOptions:
    """What to run, as the command line asked for it."""

    exercise_ids: list[str] = field(default_factory=list)
    file: Path | None = None
    device: str = "auto"
    dtype: str = "float32"
    backends: list[str] = field(default_factory=list)   # empty: the defaults
    sizes: list[str] = field(default_factory=list)      # names or 1-based positions; empty: all
    sweep: bool = False
    sweep_budget_s: float = 30.0                         # per exercise
    quick: bool = False
    budget_s: float = 1.0                                # per row
    warmup_s: float = 0.1
    seed: int = 0
    timeout_s: float = 600.0
    # CPU threads for every backend. One by default: on a shared machine a second thread waits at every
    # barrier for a core someone else holds, and the numbers stop meaning anything. 0: torch's default.
    threads: int = 1


def choose_backends(options: BenchOptions) -> list[str]:
    """The backends to run, in order; the defaults depend on FILE and --quick."""
    if options.backends:
        chosen = [b for b in BACKENDS if b in options.backends]
        if "submission" in chosen and options.file is None:
            raise UserError(said("bench.submission_needs_file"), where="llmprep bench --backend submission",
                            fix=said("bench.pass_file"))
        return chosen
    chosen = ["submission"] if options.file else []
    chosen += ["reference", "torch"]
    if not options.quick:  # ONNX export costs seconds per model; --quick leaves it out unless asked
        chosen.append("onnxruntime")
    return chosen


def select_exercises(options: BenchOptions) -> list[Exercise]:
    """The exercises named by --exercise, or all of them."""
    everything = list_exercises()
    if not options.exercise_ids:
        return everything
    known = {e.id: e for e in everything}
    unknown = [i for i in options.exercise_ids if i not in known]
    if unknown:
        raise UserError(said("bench.unknown_exercise", ids=", ".join(map(repr, unknown))), where="llmprep bench --exercise",
                        fix=said("bench.one_of", ids=", ".join(known)))
    return [known[i] for i in options.exercise_ids]


def declaration(exercise: Exercise) -> tuple[Bench | None, str | None]:
    """(the spec's BENCH, None), or (None, why the exercise cannot be benched)."""
    bench = getattr(calls.spec_module(exercise), "BENCH", None)
    if not isinstance(bench, Bench):
        return None, said("bench.no_bench", exercise=exercise.id)
    return bench, None


def select_sizes(exercise: Exercise, bench: Bench, options: BenchOptions) -> list[BenchSize]:
    """The sizes --size or --quick ask for (all of them by default; for --quick the declaration's quick size)."""
    sizes = bench.sizes()
    if options.sizes:
        chosen = []
        for wanted in options.sizes:
            if wanted.isdigit() and 1 <= int(wanted) <= len(sizes):
                chosen.append(sizes[int(wanted) - 1])
            else:
                chosen += [s for s in sizes if s.name == wanted or str(s.value) == wanted]
        if not chosen:
            names = ", ".join(f"{i + 1}: {s.name}" for i, s in enumerate(sizes))
            raise UserError(said("bench.unknown_size", exercise=exercise.id, sizes=", ".join(options.sizes)),
                            where="llmprep bench --size", fix=said("bench.size_choices", names=names))
        return chosen
    return [bench.quick_size()] if options.quick else sizes


@dataclass
class SizeInputs:
    """One size of one exercise, made real: the case, its request, its counts, the reference's truth."""

    exercise: Exercise
    bench: Bench
    size: BenchSize
    case: Any
    request: dict
    flops: int
    bytes_moved: int
    device: str
    dtype: str
    threads: int
    harness: Any = None
    reference: Any = None             # the prepared reference call
    truth: dict | None = None         # the reference's output, encoded
    reference_memory: int | None = None
    sweep_n: int | None = None

    @property
    def name(self) -> str:
        """The size's name (`T=512`)."""
        return self.size.name


def first_call(fn: Any, device: str) -> tuple[Any, int | None]:
    """Call once, for the output and the peak memory of that call."""
    from llmprep.bench.timing import measure_peak_memory

    outputs: list[Any] = []
    memory = measure_peak_memory(lambda: outputs.append(fn()), device)
    return outputs.pop(), memory


def _generator_on(value: Any, device: str) -> Any:
    import torch

    if isinstance(value, torch.Generator) and value.device.type != torch.device(device).type:
        return torch.Generator(device=device).manual_seed(value.initial_seed())
    return value


def make_inputs(exercise: Exercise, bench: Bench, size: BenchSize, options: BenchOptions, device: str,
                threads: int, sweep: bool = False) -> SizeInputs:
    """Build the size from the declaration, cast it to the bench dtype, and run the reference once."""
    import dataclasses

    import torch

    from llmprep.bench.worker_side import no_grad_unless_harness
    from llmprep.execution.calling import CaseRequest, cast_floats, seed_torch

    generator = torch.Generator().manual_seed(options.seed)
    case = bench.make(generator, **size.values())
    case = dataclasses.replace(case, args=cast_floats(tuple(case.args), options.dtype),
                               kwargs=cast_floats(dict(case.kwargs), options.dtype))
    state_dict = None
    if exercise.kind == "module":
        seed_torch(options.seed)
        state_dict = cast_floats(dict(calls.reference_entry(exercise)(**case.init).state_dict()), options.dtype)
    # A generator in the inputs (a sampler's) must live where the tensors go.
    case = dataclasses.replace(case, args=tuple(_generator_on(v, device) for v in case.args))
    request = CaseRequest(args=list(case.args), kwargs=dict(case.kwargs), init=dict(case.init),
                          state_dict=state_dict, dtype=options.dtype, seed=options.seed, grad=False)
    inputs = SizeInputs(exercise, bench, size, case, request, int(bench.flops(case)), int(bench.bytes_moved(case)),
                        device, options.dtype, threads, calls.harness_of(exercise) if bench.harness else None,
                        sweep_n=size.value if sweep else None)
    inputs.reference = calls.prepare_call(calls.reference_entry(exercise), exercise.kind, request, device,
                                          inputs.harness)
    with no_grad_unless_harness(inputs.reference):
        output, inputs.reference_memory = first_call(inputs.reference.fn, device)
    inputs.truth = calls.encode(output)
    return inputs
