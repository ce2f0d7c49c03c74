"""One `llmprep bench` run: exercises × sizes × backends, checked, timed round-robin, placed on the roofline.

Trusted code (the references and PyTorch's built-ins) runs in this process: it is llmprep's own
code, and timing it here avoids a second torch import and copying large inputs to a child. A
submission (`bench FILE`) is checked first, then timed and exported only inside the sandboxed
worker (submission.py). Within one size, the trusted backends are sampled round-robin (measure.py).
"""

from __future__ import annotations

import time
from typing import Any

from llmprep.bench import calls
from llmprep.bench.backends import TRUSTED_BACKENDS, Ready
from llmprep.bench.plan import (
    BACKENDS,
    BenchOptions,
    SizeInputs,
    choose_backends,
    declaration,
    make_inputs,
    resolve_device,
    select_exercises,
    select_sizes,
)
from llmprep.bench.results import BenchResult, BenchRow, judge_noise, machine_load, roofline
from llmprep.exercise_api import Bench, BenchSize
from llmprep.exercises import Exercise
from llmprep.messages import said

QUICK_BUDGET_S = 0.05       # per row
QUICK_WARMUP_S = 0.0        # the correctness call and the batch sizing are the warm-up
QUICK_TOTAL_S = 40.0        # --quick stops starting exercises once this much is spent (and says which)
SWEEP_BUDGET_S = 0.3
SWEEP_MAX_STEPS = 8


class Progress:
    """What the runner tells the progress bar; the default does nothing."""

    def start(self, total: int) -> None:
        """The number of steps (sizes) expected; 0 when unknown."""

    def advance(self, label: str) -> None:
        """One step done."""


def describe_device(device: str, dtype: str, threads: int) -> tuple[dict, Any]:
    """The `device` section of the report and its peaks (datasheet on CUDA, from the hardware on the CPU)."""
    import torch

    from llmprep.bench.cpu_peak import cpu_name
    from llmprep.bench.peaks import cpu_peak, gpu_peak

    info: dict[str, Any] = {"type": device, "torch": torch.__version__, "threads": threads}
    if device == "cuda":
        name = torch.cuda.get_device_name(0)
        info["name"] = f"cuda: {name}"
        info["clock"] = said("bench.clock_cuda")
        peak = gpu_peak(name)
        key = "tf32" if dtype == "float32" and torch.backends.cuda.matmul.allow_tf32 else dtype
        info["peak"] = None if peak is None else {
            "name": peak.name, "flops_per_s": peak.flops.get(key), "bytes_per_s": peak.bytes_per_s,
            "source": said("bench.gpu_peak_source", source=peak.source, key=key)}
        if peak is None:
            info["peak_note"] = said("bench.no_gpu_peak", name=name)
        return info, peak
    from llmprep.bench.measure import cpu_clock_name

    info["name"] = said("bench.cpu_device", device="cpu", name=cpu_name(), threads=threads)  # English in JSON and the store
    info["clock"] = cpu_clock_name(threads)
    peak, info["peak"] = cpu_peak(dtype, threads)
    return info, peak


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

    def setup(self) -> BenchResult:
        """Device, thread count, peaks and the load before any work; shortens budgets for --quick/--sweep."""
        import torch

        options = self.options
        load = machine_load()  # before the triad and the timing add their own load
        self.device, device_note = resolve_device(options.device, "llmprep bench")
        # One fixed, reported thread count for every CPU backend: set here for the first calls, pinned by
        # torch's timer while sampling, handed to ONNX Runtime's session.
        self.threads = options.threads or torch.get_num_threads()
        torch.set_num_threads(self.threads)
        if self.device == "cpu":
            from llmprep.bench.timing import keep_freed_memory

            keep_freed_memory()
        info, self.peak = describe_device(self.device, options.dtype, self.threads)
        info["load"] = load
        self.result = BenchResult(device=info)
        if device_note:
            self.result.notes.append(said("bench.auto_cpu") if device_note.startswith("auto:") else device_note)
        if info.get("peak_note"):
            self.result.notes.append(info.pop("peak_note"))
        if options.quick:
            options.budget_s, options.warmup_s = min(options.budget_s, QUICK_BUDGET_S), QUICK_WARMUP_S
        if options.sweep:
            options.budget_s = min(options.budget_s, SWEEP_BUDGET_S)
        self._started = time.perf_counter()
        return self.result

    def finish(self) -> BenchResult:
        """Fill the busy-machine verdict once the rows are in."""
        judge_noise(self.result)
        return self.result

    # -- everything without FILE

    def run(self) -> BenchResult:
        """Time the references and built-ins of the selected exercises."""
        import warnings

        with warnings.catch_warnings():  # library warnings (deprecations in built-ins) are not results
            warnings.simplefilter("ignore")
            return self._run()

    def _run(self) -> BenchResult:
        result = self.setup()
        plans: list[tuple[Exercise, Bench, list[BenchSize]]] = []
        for exercise in select_exercises(self.options):
            try:
                bench, why = declaration(exercise)
            except Exception as exc:  # a broken spec is the exercise's problem, not the run's
                bench, why = None, said("bench.spec_failed", exercise=exercise.id, error=calls.short_error(exc))
            if bench is None:
                result.skipped.append(why)
                continue
            plans.append((exercise, bench, select_sizes(exercise, bench, self.options)))
        trusted = [b for b in self.backends if b != "submission"]
        self.progress.start(0 if self.options.sweep else sum(len(sizes) for _, _, sizes in plans))
        try:
            for position, (exercise, bench, sizes) in enumerate(plans):
                if self._out_of_time():
                    rest = [e.id for e, _, _ in plans[position:]]
                    result.skipped.append(said("bench.quick_out_of_time", seconds=f"{QUICK_TOTAL_S:g}", count=len(rest),
                                               ids=", ".join(rest)))
                    break
                result.titles[exercise.id] = bench.fixed_text()
                if self.options.sweep:
                    self.sweep(exercise, bench, trusted)
                    continue
                for size in sizes:
                    self.measure_size(exercise, bench, size, trusted)
        except KeyboardInterrupt:
            result.interrupted = True
        return self.finish()

    def _out_of_time(self) -> bool:
        return self.options.quick and time.perf_counter() - self._started > QUICK_TOTAL_S

    def inputs(self, exercise: Exercise, bench: Bench, size: BenchSize, sweep: bool = False) -> SizeInputs | None:
        """The size made real and the reference run once; a failure becomes a note."""
        try:
            return make_inputs(exercise, bench, size, self.options, self.device, self.threads, sweep)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            self.result.notes.append(said("bench.size_failed", exercise=exercise.id, size=size.name,
                                          error=calls.short_error(exc)))
            return None

    def measure_size(self, exercise: Exercise, bench: Bench, size: BenchSize, backends: list[str],
                     sweep: bool = False, inputs: SizeInputs | None = None) -> list[BenchRow]:
        """Check every backend at one size, then time the ready ones round-robin."""
        inputs = inputs or self.inputs(exercise, bench, size, sweep)
        if inputs is None:
            self.progress.advance(f"{exercise.id} {size.name}")
            return []
        ready: dict[str, tuple[BenchRow, Ready]] = {}
        rows = []
        for name in backends:
            row = BenchRow(exercise.id, name, f"torch-{self.device}", size.name, self.options.dtype,
                           sweep_n=inputs.sweep_n)
            try:
                prepared = TRUSTED_BACKENDS[name].prepare(inputs)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # a backend that cannot run this size says why in its row
                prepared = Ready(None, row.provider, note=calls.short_error(exc))
            row.provider, row.correct, row.note, row.peak_mem_bytes = (prepared.provider, prepared.correct,
                                                                       prepared.note, prepared.memory)
            if prepared.fn is None and name == "torch" and prepared.correct is None and bench.builtin is None:
                continue  # no built-in: said once per exercise in the table, not as a row of dashes
            rows.append(row)
            if prepared.fn is not None:  # a built-in that disagrees is still timed, and marked NO
                ready[name] = (row, prepared)
        self._time(inputs, ready)
        for row in rows:
            roofline(row, inputs.flops, inputs.bytes_moved, self.peak, self._peak_flops())
            self.result.rows.append(row)
        self.progress.advance(f"{exercise.id} {size.name}")
        return rows

    def _peak_flops(self) -> float | None:
        peak = (self.result.device.get("peak") or {})
        return peak.get("flops_per_s")

    def _time(self, inputs: SizeInputs, ready: dict[str, tuple[BenchRow, Ready]]) -> None:
        from llmprep.bench.measure import l2_flush_buffer, make_sampler, round_robin
        from llmprep.bench.worker_side import no_grad_unless_harness

        if not ready:
            return
        options = self.options
        flush = l2_flush_buffer(self.device) if self.device == "cuda" else None
        samplers = {name: make_sampler(prepared.fn, self.device, self.threads, flush)
                    for name, (_, prepared) in ready.items()}
        # A sweep's fit uses each size's fastest sample: five at least, so one of them is likely undisturbed.
        quick = {"min_rounds": 3, "rounds_at_deadline": 3} if options.quick else {}
        if inputs.sweep_n is not None:
            quick = {"min_rounds": 5, "rounds_at_deadline": 5}
        try:
            with no_grad_unless_harness(inputs.reference):
                timings = round_robin(samplers, budget_s=options.budget_s, warmup_s=options.warmup_s, **quick)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            for row, _ in ready.values():
                row.note = calls.short_error(exc)
            return
        for name, (row, _) in ready.items():
            row.apply_timing(timings[name])

    # -- sweep

    def sweep(self, exercise: Exercise, bench: Bench, backends: list[str]) -> None:
        """Double the growing dimension from its first value while the budget and memory allow; fit."""
        from llmprep.bench.sweep import fit_backend

        started = time.perf_counter()
        available = _available_memory(self.device)
        value, steps, durations, memories = bench.sizes()[0].value, [], [], []
        for _ in range(SWEEP_MAX_STEPS):
            step_started = time.perf_counter()
            rows = self.measure_size(exercise, bench, bench.sweep_size(value), backends, sweep=True)
            if not rows or all(r.median_ms is None for r in rows):
                break
            steps.append(value)
            durations.append(time.perf_counter() - step_started)
            memories.append(max((r.peak_mem_bytes or 0) for r in rows))
            growth = durations[-1] / durations[-2] if len(durations) >= 2 and durations[-2] > 0 else 4.0
            memory_growth = memories[-1] / memories[-2] if len(memories) >= 2 and memories[-2] else 4.0
            spent = time.perf_counter() - started
            if len(steps) >= 2 and spent + durations[-1] * max(growth, 2.0) > self.options.sweep_budget_s:
                break
            if available and memories[-1] * max(memory_growth, 2.0) * 2 > available:
                break
            value *= 2
        fits = []
        for backend in BACKENDS:
            rows = [r for r in self.result.rows if r.exercise == exercise.id and r.backend == backend
                    and r.sweep_n is not None and r.median_ms is not None]
            if len(rows) >= 2:
                fits.append({"backend": backend, **fit_backend([r.sweep_n for r in rows], [r.median_ms for r in rows],
                                                               [r.min_ms for r in rows], [r.peak_mem_bytes for r in rows],
                                                               bench.sweep_from)})
        self.result.sweep.append({"exercise": exercise.id, "size": bench.dim, "start": steps[0] if steps else None,
                                  "steps": len(steps), "fixed": {**bench.fixed, **bench.sweep}, "fits": fits})

    # -- bench FILE

    def run_file(self, exercise: Exercise, check_report: Any) -> BenchResult:
        """Time a submission that passed the check: in the worker, then the trusted rows here."""
        from llmprep.bench.submission import SubmissionBackend

        result = self.setup()
        result.check = check_report
        result.notes.append(said("bench.file_passed", file=self.options.file.name, cases=len(check_report.cases),
                                 seed=check_report.seed))
        bench, why = declaration(exercise)
        if bench is None:
            from llmprep.errors import UserError

            raise UserError(why, where=str(exercise.path("spec.py")), fix=said("bench.another_exercise"))
        result.titles[exercise.id] = bench.fixed_text()
        sizes = select_sizes(exercise, bench, self.options)
        # With FILE the onnxruntime row is your exported code, not the reference's.
        trusted = [b for b in self.backends if b not in ("submission", "onnxruntime")]
        self.progress.start(len(sizes))
        try:
            inputs = [i for i in (self.inputs(exercise, bench, s) for s in sizes) if i is not None]
            worker_rows = SubmissionBackend(self).run(exercise, inputs) if inputs else {}
            for made in inputs:
                self.measure_size(exercise, bench, made.size, trusted, inputs=made)
                for row in worker_rows.get(made.name, []):
                    roofline(row, made.flops, made.bytes_moved, self.peak, self._peak_flops())
                    result.rows.append(row)
        except KeyboardInterrupt:
            result.interrupted = True
        order = {name: i for i, name in enumerate(BACKENDS)}
        position = {s.name: i for i, s in enumerate(sizes)}
        result.rows.sort(key=lambda r: (position.get(r.size, 0), order.get(r.backend, 9)))
        return self.finish()


def _available_memory(device: str) -> int | None:
    """Free bytes where the tensors live: the GPU's free memory, or the host's MemAvailable."""
    if device == "cuda":
        import torch

        return int(torch.cuda.mem_get_info()[0])
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None
