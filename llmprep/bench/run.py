"""One `llmprep bench` run: exercises × sizes × backends, timed, checked and placed on the roofline.

Trusted code (the references and PyTorch's built-ins) runs in this process: it is llmprep's own
code, and timing it here avoids a second torch import and copying large inputs to a child. A
submission (`bench FILE`) is checked first with `llmprep check`'s engine, then timed and exported
to ONNX only inside the grading worker (see worker_side.py); its rows come back on the worker's
private channel. The worker and this process never time at the same moment.
"""

from __future__ import annotations

import hashlib
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep.errors import UserError
from llmprep.exercises import Exercise, list_exercises

BACKENDS = ("submission", "reference", "torch", "torch-compile", "onnxruntime")
ROW_KEYS = ("exercise", "backend", "provider", "size", "dtype", "median_ms", "iqr_ms", "n", "gflops", "gbps",
            "pct_peak", "peak_mem_bytes", "correct")
# Two implementations in the same dtype each carry rounding error; allow a few times the check's tolerance.
AGREEMENT_SCALE = 4.0
QUICK_BUDGET_S = 0.12
QUICK_WARMUP_S = 0.02
QUICK_TOTAL_S = 35.0   # --quick stops timing (and says so) once this much is spent
SWEEP_BUDGET_S = 0.25
SWEEP_MAX_STEPS = 12


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


@dataclass
class BenchRow:
    """One measured (or failed) row; `to_json` gives exactly the issue's fields."""

    exercise: str
    backend: str
    provider: str
    size: str
    dtype: str
    median_ms: float | None = None
    iqr_ms: float | None = None
    n: int | None = None
    gflops: float | None = None
    gbps: float | None = None
    pct_peak: float | None = None
    peak_mem_bytes: int | None = None
    correct: bool | None = None
    min_ms: float | None = None
    intensity: float | None = None
    sweep_n: int | None = None
    note: str | None = None

    def to_json(self) -> dict:
        """The row of `--json`."""
        return {key: getattr(self, key) for key in ROW_KEYS}

    def details(self) -> dict:
        """What `--json` reports beside the row (in `details`, index-aligned with `rows`)."""
        return {"min_ms": self.min_ms, "intensity_flop_per_byte": self.intensity, "sweep_n": self.sweep_n,
                "note": self.note}


@dataclass
class BenchResult:
    """Everything a run produced."""

    device: dict
    rows: list[BenchRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    check: Any = None                 # the CheckReport of `bench FILE`
    sweep: list[dict] = field(default_factory=list)
    run_id: int | None = None
    compare: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        """The document of `llmprep bench --json`."""
        document = {"device": self.device, "rows": [r.to_json() for r in self.rows],
                    "details": [r.details() for r in self.rows], "notes": self.notes,
                    "interrupted": self.interrupted}
        if self.sweep:
            document["sweep"] = self.sweep
        if self.compare:
            document["compare"] = self.compare
        if self.check is not None:
            document["check"] = {"passed": self.check.passed, "seed": self.check.seed,
                                 "exercise": self.check.exercise.id}
        return document


class Progress:
    """What the runner tells the progress bar; the default does nothing."""

    def start(self, total: int) -> None:
        """The number of steps (exercises × sizes × backends) expected."""

    def advance(self, label: str) -> None:
        """One step done."""


# ---------------------------------------------------------------- choosing


def resolve_device(requested: str) -> tuple[str, str | None]:
    """("cpu" or "cuda", a note); --device cuda without CUDA is a user error, never a fake CUDA number."""
    import torch

    if requested == "cpu":
        return "cpu", None
    if torch.cuda.is_available():
        return "cuda", None
    if requested == "cuda":
        raise UserError("--device cuda was asked for, but torch sees no CUDA device",
                        where="llmprep bench --device cuda",
                        fix="run `llmprep doctor` to see why, or use --device cpu (auto picks the CPU here)")
    return "cpu", "auto: torch sees no CUDA device, so the bench runs on the CPU"


def choose_backends(options: BenchOptions) -> list[str]:
    """The backends to run, in order; the defaults depend on FILE and --quick."""
    if options.backends:
        chosen = [b for b in BACKENDS if b in options.backends]
        if "submission" in chosen and options.file is None:
            raise UserError("--backend submission needs a FILE to time", where="llmprep bench --backend submission",
                            fix="pass your implementation: llmprep bench attn.py")
        return chosen
    chosen = ["submission"] if options.file else []
    chosen += ["reference", "torch"]
    if not options.quick:  # ONNX export costs seconds per model; --quick leaves it out unless asked
        chosen.append("onnxruntime")
    return chosen


def bench_spec(exercise: Exercise) -> tuple[Any, str | None]:
    """(spec module, None), or (None, why the exercise cannot be benched)."""
    from llmprep.grading.cases import load_module

    spec = load_module(exercise, "spec.py")
    missing = [name for name in ("bench_sizes", "flops", "bytes_moved") if not callable(getattr(spec, name, None))]
    if missing:
        return None, f"{exercise.id}: skipped, its spec.py has no {', '.join(missing)} (no bench metadata)"
    return spec, None


def _all_sizes(spec: Any) -> tuple[list, Callable[[Any], Any]]:
    """The bench cases (possibly shapes only) and a function that makes a chosen one real."""
    from llmprep.bench.lazy_cases import make_real, shapes_only

    try:
        cases, recipes = shapes_only(spec.bench_sizes)
        make_real(cases[0], recipes)  # one replay proves the recipes work for this spec
        return cases, lambda case: make_real(case, recipes)
    except Exception:  # an op the meta device cannot run: build every size for real
        return list(spec.bench_sizes()), lambda case: case


def select_cases(exercise: Exercise, spec: Any, options: BenchOptions) -> list:
    """The exercise's bench cases that --size, --quick or --sweep ask for, with real tensors.

    For --sweep: the smallest case (real) and the largest (perhaps shapes only), which is all
    the sweep needs to find the size that grows."""
    cases, make_real = _all_sizes(spec)
    if not cases:
        return []
    if options.sweep:
        return [make_real(cases[0]), cases[-1]] if len(cases) > 1 else [make_real(cases[0])]
    if options.sizes:
        chosen = []
        for wanted in options.sizes:
            if wanted.isdigit() and 1 <= int(wanted) <= len(cases):
                chosen.append(cases[int(wanted) - 1])
            elif any(c.name == wanted for c in cases):
                chosen.append(next(c for c in cases if c.name == wanted))
        if not chosen:
            names = ", ".join(f"{i + 1}: {c.name}" for i, c in enumerate(cases))
            raise UserError(f"{exercise.id} has no bench size {', '.join(options.sizes)!s}",
                            where="llmprep bench --size", fix=f"use a position or a name: {names}")
        return [make_real(c) for c in chosen]
    return [make_real(c) for c in (cases[:1] if options.quick else cases)]


# ---------------------------------------------------------------- inputs


def _cast(value: Any, dtype) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.to(dtype) if value.is_floating_point() else value
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, dtype) for v in value)
    if isinstance(value, dict):
        return {k: _cast(v, dtype) for k, v in value.items()}
    return value


def cast_case(case: Any, dtype: str) -> Any:
    """The case with its floating tensors in `dtype` (so bytes_moved counts the right element size)."""
    import dataclasses

    import torch

    torch_dtype = getattr(torch, dtype)
    return dataclasses.replace(case, args=_cast(tuple(case.args), torch_dtype),
                               kwargs=_cast(dict(case.kwargs), torch_dtype))


def make_request(exercise: Exercise, case: Any, dtype: str, seed: int) -> dict:
    """The inputs of one size in the worker's request format (a module gets the reference's weights)."""
    import torch

    from llmprep.grading.cases import reference_entry

    state_dict = None
    if exercise.kind == "module":
        torch.manual_seed(seed)
        reference = reference_entry(exercise)(**case.init)
        state_dict = {k: v.detach().to(getattr(torch, dtype)) if v.is_floating_point() else v.detach()
                      for k, v in reference.state_dict().items()}
    return {"args": list(case.args), "kwargs": dict(case.kwargs), "init": dict(case.init),
            "state_dict": state_dict, "dtype": dtype, "seed": seed, "grad": False}


# ---------------------------------------------------------------- device and peaks


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "cpu"


_CPU_PEAKS: dict[tuple[str, int], Any] = {}


def describe_device(device: str, dtype: str, threads: int) -> tuple[dict, Any]:
    """The `device` section of the report and its peaks (datasheet on CUDA, measured on the CPU)."""
    import torch

    from llmprep.bench.peaks import gpu_peak, measure_cpu_peak

    info: dict[str, Any] = {"type": device, "torch": torch.__version__, "threads": threads}
    if device == "cuda":
        name = torch.cuda.get_device_name(0)
        info["name"] = f"cuda: {name}"
        peak = gpu_peak(name)
        key = "tf32" if dtype == "float32" and torch.backends.cuda.matmul.allow_tf32 else dtype
        info["peak"] = None if peak is None else {
            "name": peak.name, "flops_per_s": peak.flops.get(key), "bytes_per_s": peak.bytes_per_s,
            "source": f"{peak.source} (dense {key})"}
        if peak is None:
            info["peak_note"] = f"{name} is not in llmprep's table of GPU peaks: no % of peak"
        return info, peak
    info["name"] = f"cpu: {_cpu_name()} ({threads} threads)"
    key = (dtype, threads)
    if key not in _CPU_PEAKS:  # calibrated once per process
        _CPU_PEAKS[key] = measure_cpu_peak(dtype, size=512 if dtype in ("float16", "bfloat16") else 1024,
                                           budget_s=0.2)
    peak = _CPU_PEAKS[key]
    info["peak"] = {"name": "cpu", "flops_per_s": peak.flops.get(dtype), "bytes_per_s": peak.bytes_per_s,
                    "source": f"measured now: a {dtype} matmul and a 64 MiB copy"}
    return info, peak


def roofline(row: BenchRow, flops: int | None, bytes_moved: int | None, peak_flops: float | None,
             peak_bytes: float | None) -> None:
    """Fill GFLOP/s, GB/s, intensity and % of peak from the row's median.

    % of peak is the fraction of the roofline bound: max(FLOP/s ÷ peak FLOP/s, bytes/s ÷ peak
    bytes/s), which equals achieved FLOP/s ÷ min(peak FLOP/s, intensity × peak bandwidth).
    """
    if row.median_ms is None or row.median_ms <= 0:
        return
    seconds = row.median_ms / 1e3
    fractions = []
    if flops:
        row.gflops = flops / seconds / 1e9
        if peak_flops:
            fractions.append(flops / seconds / peak_flops)
    if bytes_moved:
        row.gbps = bytes_moved / seconds / 1e9
        if peak_bytes:
            fractions.append(bytes_moved / seconds / peak_bytes)
    if flops and bytes_moved:
        row.intensity = flops / bytes_moved
    if fractions:
        row.pct_peak = 100.0 * max(fractions)


def _apply_timing(row: BenchRow, timing: dict) -> None:
    row.median_ms = float(timing["median_ms"])
    row.iqr_ms = float(timing["iqr_ms"])
    row.min_ms = float(timing["min_ms"])
    row.n = int(timing["n"])


# ---------------------------------------------------------------- correctness


def _agrees(exercise: Exercise, dtype: str, truth: dict, output: Any) -> bool:
    from llmprep.grading.check import scaled
    from llmprep.grading.compare import values_match
    from llmprep.grading.worker import encode_value

    tolerance = scaled(exercise.tolerance(exercise.output_dtype or dtype), AGREEMENT_SCALE)
    return values_match(truth, encode_value(output), tolerance)


# ---------------------------------------------------------------- ONNX Runtime


def _cached_reference_export(exercise: Exercise, call: Any, key_parts: list[str]):
    """Export the reference bound to this size once; later runs reuse the file from the data dir."""
    import torch

    from llmprep.bench.onnx_runtime import ExportResult, _opset_of, export_module
    from llmprep.bench.worker_side import bound_module, tensor_slots
    from llmprep.paths import data_dir

    digest = hashlib.sha256()
    for name in ("reference.py", "spec.py"):
        digest.update(exercise.path(name).read_bytes())
    digest.update("|".join([torch.__version__, exercise.id, *key_parts]).encode())
    folder = data_dir() / "bench-onnx"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{exercise.id}-{digest.hexdigest()[:16]}.onnx"
    exporter_file = path.with_suffix(".exporter")
    if path.is_file() and exporter_file.is_file():
        exporter, _, note = exporter_file.read_text(encoding="utf-8").partition("\n")
        return ExportResult(path, exporter, _opset_of(path), note or None), True
    slots = tensor_slots(call)
    partial = path.with_suffix(".partial.onnx")
    exported = export_module(bound_module(call), tuple(t.cpu() for _, t in slots), partial,
                             [name for name, _ in slots])
    os.replace(partial, path)
    exporter_file.write_text(f"{exported.exporter}\n{exported.note or ''}", encoding="utf-8")
    return ExportResult(path, exported.exporter, exported.opset, exported.note), False


def time_onnx(row: BenchRow, exercise: Exercise, model_path: Path, call: Any, truth: dict | None,
              device: str, options: BenchOptions, export_note: str) -> None:
    """Open a session on the provider that really works, check its output, then time it."""

    from llmprep.bench.onnx_runtime import make_runner, open_session
    from llmprep.bench.timing import time_on_cpu, time_on_cuda
    from llmprep.bench.worker_side import tensor_slots

    cuda_reason = None if device == "cuda" else "the bench runs on the CPU"
    session = open_session(model_path, want_cuda=device == "cuda", cuda_reason=cuda_reason)
    row.provider = session.provider
    notes = [export_note] + ([session.note] if session.note and device == "cuda" else [])
    on_cuda = session.provider == "CUDAExecutionProvider"
    inputs = {name: (t if on_cuda else t.cpu()) for name, t in tensor_slots(call)}
    run, fetch = make_runner(session, inputs)
    run()
    output = fetch()
    if truth is not None:
        row.correct = _agrees(exercise, row.dtype, truth, output)
        if not row.correct:
            row.note = "; ".join(notes + ["its output differs from the reference: not timed"])
            return
    timer = time_on_cuda if on_cuda else time_on_cpu
    _apply_timing(row, timer(run, budget_s=options.budget_s, warmup_s=options.warmup_s).to_dict())
    if not on_cuda:
        from llmprep.bench.timing import measure_peak_memory

        row.peak_mem_bytes = measure_peak_memory(run, "cpu")
    row.note = "; ".join(n for n in notes if n)


# ---------------------------------------------------------------- the run


@dataclass
class _Size:
    """One size of one exercise: the case, its request, and its counts."""

    exercise: Exercise
    spec: Any
    case: Any
    request: dict
    flops: int | None
    bytes_moved: int | None
    sweep_n: int | None = None


class Runner:
    """Runs the selected backends over the selected exercises and sizes, collecting rows."""

    def __init__(self, options: BenchOptions, progress: Progress | None = None):
        self.options = options
        self.progress = progress or Progress()
        self.backends = choose_backends(options)
        self.result: BenchResult | None = None
        self.device = "cpu"
        self.threads = 1
        self.peak = None
        self._started = 0.0
        self._memory: dict[str, int | None] = {}  # measured on a backend's first (correctness) call

    # -- set-up

    def _setup(self) -> BenchResult:
        import torch

        options = self.options
        self.device, device_note = resolve_device(options.device)
        # A fixed, reported thread count for every CPU backend (torch and ONNX Runtime alike).
        self.threads = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        os.environ["LLMPREP_BENCH_THREADS"] = str(self.threads)
        info, self.peak = describe_device(self.device, options.dtype, self.threads)
        self.result = BenchResult(device=info)
        if device_note:
            self.result.notes.append(device_note)
        if info.get("peak_note"):
            self.result.notes.append(info["peak_note"])
        if options.quick:
            options.budget_s, options.warmup_s = min(options.budget_s, QUICK_BUDGET_S), QUICK_WARMUP_S
        if options.sweep:
            options.budget_s = min(options.budget_s, SWEEP_BUDGET_S)
        return self.result

    def _peaks(self) -> tuple[float | None, float | None]:
        if self.peak is None:
            return None, None
        return self.result.device["peak"]["flops_per_s"], self.peak.bytes_per_s

    def _exercises(self) -> list[Exercise]:
        if self.options.file is not None:
            return []  # set by run_file
        everything = list_exercises()
        if not self.options.exercise_ids:
            return everything
        known = {e.id: e for e in everything}
        unknown = [i for i in self.options.exercise_ids if i not in known]
        if unknown:
            raise UserError(f"no exercise called {', '.join(map(repr, unknown))}", where="llmprep bench --exercise",
                            fix="one of: " + ", ".join(known))
        return [known[i] for i in self.options.exercise_ids]

    def _size(self, exercise: Exercise, spec: Any, case: Any, sweep_n: int | None = None) -> _Size:
        typed = cast_case(case, self.options.dtype)
        flops, moved = int(spec.flops(typed)), int(spec.bytes_moved(typed))  # bench_spec made sure both exist
        request = make_request(exercise, typed, self.options.dtype, self.options.seed)
        return _Size(exercise, spec, typed, request, flops, moved, sweep_n)

    def _new_row(self, size: _Size, backend: str) -> BenchRow:
        provider = "torch-" + self.device
        return BenchRow(size.exercise.id, backend, provider, size.case.name, self.options.dtype, sweep_n=size.sweep_n)

    def _finish_row(self, row: BenchRow, size: _Size, advance: bool = True) -> BenchRow:
        roofline(row, size.flops, size.bytes_moved, *self._peaks())
        self.result.rows.append(row)
        if advance:
            self.progress.advance(f"{row.exercise} {row.size} {row.backend}")
        return row

    def _out_of_time(self) -> bool:
        return self.options.quick and time.perf_counter() - self._started > QUICK_TOTAL_S

    # -- trusted backends, in this process

    def run_trusted(self, size: _Size, backends: list[str]) -> list[BenchRow]:
        """Rows of the reference, the built-in, torch.compile and ONNX Runtime of the reference at one size."""

        from llmprep.bench.timing import measure_peak_memory, time_call
        from llmprep.bench.worker_side import no_grad_unless_harness, prepare_call, short_error
        from llmprep.grading.cases import load_module, reference_entry
        from llmprep.grading.worker import encode_value

        exercise, options = size.exercise, self.options
        harness = load_module(exercise, exercise.harness).run if exercise.harness else None
        reference = prepare_call(reference_entry(exercise), exercise.kind, size.request, self.device, harness)
        # The first call gives the truth and the memory (a slow reference is not called once more for it).
        outputs: list[Any] = []
        with no_grad_unless_harness(reference):
            self._memory["reference"] = measure_peak_memory(lambda: outputs.append(reference.fn()), self.device)
        truth = encode_value(outputs.pop())
        rows = []
        for backend in backends:
            if backend == "submission":
                continue
            row = self._new_row(size, backend)
            if self._out_of_time():
                row.note = f"skipped: --quick spent its {QUICK_TOTAL_S:g} s"
                rows.append(self._finish_row(row, size))
                continue
            try:
                if backend == "onnxruntime":
                    self._onnx_reference(row, size, reference, truth)
                    rows.append(self._finish_row(row, size))
                    continue
                fn = self._trusted_call(row, size, backend, reference, harness, truth)
                if fn is None:
                    continue
                # --quick: the correctness call just made is the warm-up, and one slow call may be the row.
                quick = {"warmup_s": 0.0, "min_samples_at_deadline": 1} if options.quick and self.device == "cpu" else {}
                with no_grad_unless_harness(reference):
                    timing = time_call(fn, self.device, **{"budget_s": options.budget_s,
                                                           "warmup_s": options.warmup_s, **quick})
                    _apply_timing(row, timing.to_dict())
                    memory = self._memory.pop(backend, None)
                    row.peak_mem_bytes = memory if memory is not None else measure_peak_memory(fn, self.device)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # a backend that cannot run this size says why in its row
                row.note = short_error(exc)
                row.median_ms = None
            rows.append(self._finish_row(row, size))
        return rows

    def _trusted_call(self, row: BenchRow, size: _Size, backend: str, reference: Any, harness: Any,
                      truth: dict) -> Callable[[], Any] | None:

        from llmprep.bench.worker_side import compiled_call, no_grad_unless_harness, prepare_call

        exercise = size.exercise
        if backend == "reference":
            row.correct = True
            return reference.fn
        if backend == "torch-compile":
            fn = compiled_call(reference)
            with no_grad_unless_harness(reference):
                row.correct = _agrees(exercise, row.dtype, truth, fn())
            row.note = "torch.compile of the reference"
            return fn
        builtin = getattr(size.spec, "builtin", None)
        if builtin is None:
            self.result.notes.append(f"{exercise.id}: PyTorch has no built-in for it (no `torch` row)")
            self.progress.advance(f"{exercise.id} {row.size} torch")
            return None
        from llmprep.bench.timing import measure_peak_memory

        if harness is not None and exercise.kind == "module":
            # Through the exercise's harness, like the reference (the truth is the harness's output),
            # when the built-in fits it; a built-in of another shape (a plain nn.Linear for LoRA) does not.
            call = prepare_call(builtin, exercise.kind, size.request, self.device, harness)
            outputs: list[Any] = []
            try:
                with no_grad_unless_harness(call):
                    self._memory[backend] = measure_peak_memory(lambda: outputs.append(call.fn()), self.device)
            except Exception:  # the harness expects the exercise's own attributes
                outputs = []
            if outputs:
                row.correct = _agrees(exercise, row.dtype, truth, outputs.pop())
                return call.fn
        if exercise.kind == "module":
            request = {**size.request, "state_dict": None}
            call = prepare_call(builtin, "module", request, self.device, None)
            try:
                call.target.load_state_dict(size.request["state_dict"], strict=True)
                own_weights = False
            except (RuntimeError, KeyError, TypeError):
                own_weights = True
        else:
            call = prepare_call(builtin, "function", size.request, self.device, harness)
            own_weights = False
        outputs = []
        with no_grad_unless_harness(call):
            self._memory[backend] = measure_peak_memory(lambda: outputs.append(call.fn()), self.device)
        output = outputs.pop()
        if own_weights:
            row.correct = None
            row.note = "the built-in has its own weights: output not compared"
        else:
            row.correct = _agrees(exercise, row.dtype, truth, output)
        return call.fn

    def _onnx_reference(self, row: BenchRow, size: _Size, reference: Any, truth: dict) -> None:
        from llmprep.bench.onnx_runtime import ExportFailed
        from llmprep.bench.worker_side import export_reason, short_error

        reason = export_reason(reference)
        if reason:
            row.provider, row.note = "-", f"not exported: {reason}"
            return
        try:
            exported, cached = _cached_reference_export(size.exercise, reference,
                                                        [size.case.name, self.options.dtype, str(size.sweep_n)])
        except ExportFailed as exc:
            row.provider, row.note = "-", f"export failed: {exc}"
            return
        except Exception as exc:
            row.provider, row.note = "-", f"export failed: {short_error(exc)}"
            return
        note = (f"reference exported by the {exported.exporter} exporter, opset {exported.opset}"
                + (" (cached)" if cached else "") + (f"; {exported.note}" if exported.note else ""))
        time_onnx(row, size.exercise, exported.path, reference, truth, self.device, self.options, note)

    # -- everything without FILE

    def run(self) -> BenchResult:
        """Time the references and built-ins of the selected exercises."""
        result = self._setup()
        self._started = time.perf_counter()
        plans = []
        for exercise in self._exercises():
            spec, why = bench_spec(exercise)
            if spec is None:
                result.notes.append(why)
                continue
            cases = select_cases(exercise, spec, self.options)
            if not cases:
                result.notes.append(f"{exercise.id}: skipped, bench_sizes() is empty")
                continue
            plans.append((exercise, spec, cases))
        trusted = [b for b in self.backends if b != "submission"]
        if self.options.sweep:
            self.progress.start(0)
        else:
            self.progress.start(sum(len(cases) for _, _, cases in plans) * len(trusted))
        try:
            for exercise, spec, cases in plans:
                if self.options.sweep:
                    self._sweep(exercise, spec, cases, trusted)
                    continue
                for case in cases:
                    self._run_size_safely(exercise, spec, case, trusted)
        except KeyboardInterrupt:
            result.interrupted = True
        return result

    def _run_size_safely(self, exercise: Exercise, spec: Any, case: Any, backends: list[str]) -> None:
        """One size; a failure of the exercise's own code (spec, reference) becomes a note, not a crash."""
        from llmprep.bench.worker_side import short_error

        try:
            self.run_trusted(self._size(exercise, spec, case), backends)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            self.result.notes.append(f"{exercise.id} {getattr(case, 'name', '')}: not measured, the reference "
                                     f"or spec failed ({short_error(exc)})")
            for backend in backends:
                self.progress.advance(f"{exercise.id} {backend}")

    # -- sweep

    def _sweep(self, exercise: Exercise, spec: Any, cases: list, backends: list[str]) -> list[_Size]:
        from llmprep.bench.sweep import plan_sweep, scale_case

        plan = plan_sweep(cases)
        if plan is None:
            self.result.notes.append(f"{exercise.id}: no size grows between its bench sizes, so no sweep")
            return []
        started = time.perf_counter()
        budget = self.options.sweep_budget_s
        sizes, factor, last_step_s = [], 1, 0.0
        available = _available_memory()
        for _ in range(SWEEP_MAX_STEPS):
            scaled = scale_case(cases[0], plan, factor)
            input_bytes = _tensor_bytes(scaled)
            spent = time.perf_counter() - started
            # Two steps at least: a slope needs two points.
            over_budget = len(sizes) >= 2 and spent + 2.5 * last_step_s > budget
            if sizes and (over_budget or (available and 6 * input_bytes > available)):
                break
            step_started = time.perf_counter()
            size = self._size(exercise, spec, scaled, sweep_n=plan.start * factor)
            rows = self.run_trusted(size, backends)
            sizes.append(size)
            last_step_s = time.perf_counter() - step_started
            if rows and all(r.median_ms is None for r in rows):
                break
            factor *= 2
        self.result.sweep.append({"exercise": exercise.id, "size": plan.label, "start": plan.start,
                                  "steps": len(sizes)})
        return sizes

    # -- bench FILE

    def run_file(self, exercise: Exercise, check_report: Any) -> BenchResult:
        """Time a submission that passed the check: in the worker, then the trusted rows here."""
        result = self._setup()
        result.check = check_report
        result.notes.append(f"{options_file(self.options)} passed `llmprep check` ({len(check_report.cases)} cases, "
                            f"seed {check_report.seed}) before it was timed; it ran only in the sandboxed worker")
        self._started = time.perf_counter()
        spec, why = bench_spec(exercise)
        if spec is None:
            raise UserError(why, where=str(exercise.path("spec.py")), fix="bench another exercise")
        cases = select_cases(exercise, spec, self.options)
        # With FILE the onnxruntime row is your exported code, not the reference's.
        trusted = [b for b in self.backends if b not in ("submission", "onnxruntime")]
        in_worker = self._worker_backends()
        sizes: list[_Size] = []
        try:
            if self.options.sweep:
                self.progress.start(0)
                sizes = self._sweep(exercise, spec, cases, trusted)
            else:
                sizes = [self._size(exercise, spec, case) for case in cases]
                onnx_sessions = 1 if "onnx-export" in in_worker else 0
                self.progress.start(len(sizes) * (len(trusted) + len(in_worker) + onnx_sessions))
            if in_worker and sizes:
                self._run_in_worker(exercise, sizes, in_worker)
            if not self.options.sweep:
                for size in sizes:
                    self.run_trusted(size, trusted)
        except KeyboardInterrupt:
            result.interrupted = True
        order = {name: i for i, name in enumerate(BACKENDS)}
        position = {s.case.name: i for i, s in enumerate(sizes)}
        result.rows.sort(key=lambda r: (position.get(r.size, 0), order.get(r.backend, 9)))
        return result

    def _worker_backends(self) -> list[str]:
        chosen = []
        if "submission" in self.backends:
            chosen.append("submission")
        if "torch-compile" in self.backends:
            chosen.append("torch-compile")
        if "onnxruntime" in self.backends:
            chosen.append("onnx-export")
        return chosen

    def _run_in_worker(self, exercise: Exercise, sizes: list[_Size], worker_backends: list[str]) -> None:
        from llmprep.grading.sandbox import DEFAULT_MEMORY_BYTES, WorkerProcess

        options = self.options
        per_row = options.budget_s + options.warmup_s + 1.0
        exports = 60.0 if "onnx-export" in worker_backends else 0.0
        compiles = 120.0 if "torch-compile" in worker_backends else 0.0
        deadline_s = min(options.timeout_s, len(sizes) * (per_row * len(worker_backends) + exports) + compiles + 30)
        surely_cpu = self.device == "cpu" or not os.path.exists("/dev/nvidiactl")
        worker = WorkerProcess(deadline_s + 30, memory_bytes=DEFAULT_MEMORY_BYTES if surely_cpu else None)
        try:
            if not worker.wait_ready():
                worker.close()
                raise UserError("the bench worker could not start (python or torch failed to import)",
                                where=worker.run.stderr[-500:] or None, fix="run `llmprep doctor`")
            folder = tempfile.mkdtemp(prefix="llmprep-bench-")
            worker.send({"submission": str(options.file.resolve()), "entry": exercise.entry, "kind": exercise.kind,
                         "device": self.device, "banned": [], "threads": self.threads,
                         "harness": str(exercise.path(exercise.harness)) if exercise.harness else None,
                         "bench": {"runner": str(Path(__file__).with_name("worker_side.py")),
                                   "backends": worker_backends, "budget_s": options.budget_s,
                                   "warmup_s": options.warmup_s, "deadline_s": deadline_s, "folder": folder}},
                        [s.request for s in sizes])

            def arrived(frame: dict) -> None:
                bench = frame.get("bench") or {}
                self.progress.advance(f"{exercise.id} {bench.get('backend', '')} (in the worker)")

            run = worker.collect(len(sizes) * len(worker_backends), on_case=arrived)
        except KeyboardInterrupt:
            worker.close()
            run = worker.run
            self.result.interrupted = True
        if run.import_error or run.missing_entry is not None:
            raise UserError("the submission failed to load in the bench worker", where=str(options.file),
                            fix="run `llmprep check` on it")
        for index in sorted(run.cases):
            bench = run.cases[index].get("bench")
            if isinstance(bench, dict) and isinstance(bench.get("case"), int) and bench["case"] < len(sizes):
                self._worker_row(sizes[bench["case"]], bench)  # appends its row to the result
        if run.ended == "timeout":
            self.result.notes.append(f"the bench worker ran out of time after {deadline_s:.0f} s; later rows are missing")
        elif run.ended not in ("done",) and not self.result.interrupted:
            last = (run.stderr.strip().splitlines() or [""])[-1][:300]
            self.result.notes.append(f"the bench worker ended early ({run.exit_status or run.ended})"
                                     + (f": {last}" if last else ""))

    def _worker_row(self, size: _Size, bench: dict) -> BenchRow | None:
        from llmprep.bench.worker_side import short_error

        backend = {"onnx-export": "onnxruntime"}.get(str(bench.get("backend")), str(bench.get("backend")))
        row = self._new_row(size, backend)
        if bench.get("error"):
            row.note = str(bench["error"])[:300]
            if backend == "onnxruntime":
                row.provider, row.note = "-", f"export failed: {row.note}"
            return self._finish_row(row, size, advance=backend == "onnxruntime")
        if backend == "onnxruntime":
            model = bench.get("model")
            if not isinstance(model, bytes):
                row.provider, row.note = "-", "the worker sent no ONNX model"
                return self._finish_row(row, size)
            try:
                truth, call = self._truth(size)
                path = Path(tempfile.mkdtemp(prefix="llmprep-onnx-")) / "submission.onnx"
                path.write_bytes(model)
                note = f"your code exported by the {bench.get('exporter')} exporter, opset {bench.get('opset')}"
                if bench.get("note"):
                    note += f"; {bench['note']}"
                time_onnx(row, size.exercise, path, call, truth, self.device, self.options, note)
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                row.note = short_error(exc)
            return self._finish_row(row, size)
        timing = bench.get("timing")
        if not isinstance(timing, dict) or not all(isinstance(timing.get(k), (int, float))
                                                   for k in ("median_ms", "iqr_ms", "min_ms", "n")):
            row.note = "the worker sent no timing"
            return self._finish_row(row, size, advance=False)
        _apply_timing(row, timing)
        memory = bench.get("peak_mem_bytes")
        row.peak_mem_bytes = int(memory) if isinstance(memory, (int, float)) else None
        row.correct = True if backend == "submission" else None
        row.note = None if backend == "submission" else "torch.compile of your code (output not compared)"
        return self._finish_row(row, size, advance=False)

    def _truth(self, size: _Size) -> tuple[dict, Any]:

        from llmprep.bench.worker_side import no_grad_unless_harness, prepare_call
        from llmprep.grading.cases import load_module, reference_entry
        from llmprep.grading.worker import encode_value

        exercise = size.exercise
        harness = load_module(exercise, exercise.harness).run if exercise.harness else None
        call = prepare_call(reference_entry(exercise), exercise.kind, size.request, self.device, harness)
        with no_grad_unless_harness(call):
            return encode_value(call.fn()), call


def options_file(options: BenchOptions) -> str:
    """The submission's file name, for notes."""
    return options.file.name if options.file else "-"


def _tensor_bytes(case: Any) -> int:
    import torch

    values = list(case.args) + list(case.kwargs.values())
    return sum(v.numel() * v.element_size() for v in values if isinstance(v, torch.Tensor))


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


# ---------------------------------------------------------------- after the run


def fit_sweep(result: BenchResult) -> None:
    """Per exercise and backend of a sweep: the log-log slope of time and of memory against the size."""
    from llmprep.bench.sweep import log_log_slope

    for entry in result.sweep:
        fits = []
        for backend in BACKENDS:
            rows = [r for r in result.rows if r.exercise == entry["exercise"] and r.backend == backend
                    and r.sweep_n is not None and r.median_ms is not None]
            if not rows:
                continue
            sizes = [r.sweep_n for r in rows]
            fits.append({
                "backend": backend, "sizes": sizes, "median_ms": [r.median_ms for r in rows],
                "time_slope": log_log_slope(sizes, [r.median_ms for r in rows]),
                "memory_slope": log_log_slope(sizes, [r.peak_mem_bytes or 0 for r in rows]),
            })
        entry["fits"] = fits


def record_and_compare(result: BenchResult, dtype: str, compare: bool) -> None:
    """Store the run; with `compare`, the ratio of each row to the same row of the previous run."""
    from llmprep.store import open_store

    rows = [r.to_json() for r in result.rows]
    if not rows:
        return
    with open_store() as store:
        previous = store.previous_bench_rows(result.device["name"], dtype) if compare else []
        result.run_id = store.record_bench_rows(result.device, rows)
    if not compare:
        return
    before = {(p.get("exercise"), p.get("backend"), str(p.get("size"))): p for p in previous}
    for row in result.rows:
        old = before.get((row.exercise, row.backend, row.size))
        old_ms = old.get("median_ms") if old else None
        ratio = row.median_ms / old_ms if row.median_ms and old_ms else None
        result.compare.append({"exercise": row.exercise, "backend": row.backend, "size": row.size,
                               "previous_ms": old_ms, "median_ms": row.median_ms, "ratio": ratio})
    if not previous:
        result.notes.append(f"--compare: no earlier run on {result.device['name']} in {dtype} to compare with")
