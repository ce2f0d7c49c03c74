"""The submission backend: `bench FILE` times your code (and torch.compile of it, and exports it to
ONNX) only inside the sandboxed grading worker; the rows come back on its private channel."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from llmprep.bench import calls
from llmprep.bench.plan import SizeInputs
from llmprep.bench.results import BenchRow
from llmprep.errors import UserError
from llmprep.exercises import Exercise
from llmprep.messages import said


class SubmissionBackend:
    """Runs the worker over every size and turns its frames into rows (keyed by size name)."""

    name = "submission"

    def __init__(self, runner: Any):
        self.runner = runner
        self.options = runner.options

    def worker_backends(self) -> list[str]:
        """What the worker does: time the submission, torch.compile it, export it to ONNX."""
        chosen = [b for b in ("submission", "torch-compile") if b in self.runner.backends]
        return chosen + (["onnx-export"] if "onnxruntime" in self.runner.backends else [])

    def run(self, exercise: Exercise, sizes: list[SizeInputs]) -> dict[str, list[BenchRow]]:
        """Rows of the worker's backends, per size name."""
        from llmprep.bench.worker_side import preload_files
        from llmprep.execution.process import WorkerProcess, WorkerRequest

        backends = self.worker_backends()
        if not backends:
            return {}
        options, runner = self.options, self.runner
        per_row = options.budget_s + options.warmup_s + 1.0
        exports = 60.0 if "onnx-export" in backends else 0.0
        compiles = 120.0 if "torch-compile" in backends else 0.0
        deadline_s = min(options.timeout_s, len(sizes) * (per_row * len(backends) + exports) + compiles + 30)
        harness = str(exercise.path(exercise.harness)) if exercise.harness else None
        worker = WorkerProcess(deadline_s + 30, device=runner.device, preload=preload_files(),
                               readable=[str(options.file.resolve())] + ([harness] if harness else []))
        try:
            worker.wait_ready_or_fail("bench")
            worker.send(WorkerRequest(
                submission=str(options.file.resolve()), entry=exercise.entry, kind=exercise.kind,
                device=runner.device, threads=runner.threads, harness=harness,
                bench={"backends": backends, "budget_s": options.budget_s, "warmup_s": options.warmup_s,
                       "deadline_s": deadline_s, "folder": str(worker.folder / "onnx")}),
                [s.request for s in sizes])
            run = worker.collect(len(sizes) * len(backends))
        except KeyboardInterrupt:
            worker.close()
            run = worker.run
            runner.result.interrupted = True
        if run.import_error or run.missing_entry is not None:
            raise UserError(said("bench.failed_to_load"), where=str(options.file), fix=said("bench.run_check"))
        rows: dict[str, list[BenchRow]] = {}
        for index in sorted(run.cases):
            bench = run.cases[index].bench
            if isinstance(bench, dict) and isinstance(bench.get("case"), int) and bench["case"] < len(sizes):
                bench["parent_s"] = _phase_on_our_clock(run, index)
                size = sizes[bench["case"]]
                rows.setdefault(size.name, []).append(self._row(size, bench))
        if run.ended == "timeout":
            runner.result.notes.append(said("bench.worker_timeout", seconds=f"{deadline_s:.0f}"))
        elif run.ended not in ("done",) and not runner.result.interrupted:
            last = (run.stderr.strip().splitlines() or [""])[-1][:300]
            runner.result.notes.append(f"the bench worker ended early ({run.exit_status or run.ended})"
                                       + (f": {last}" if last else ""))
        return rows

    def _row(self, size: SizeInputs, bench: dict) -> BenchRow:
        from llmprep.bench.backends import onnx_ready

        backend = {"onnx-export": "onnxruntime"}.get(str(bench.get("backend")), str(bench.get("backend")))
        row = BenchRow(size.exercise.id, backend, f"torch-{size.device}", size.name, size.dtype)
        if bench.get("error"):
            row.note = str(bench["error"])[:300]
            if backend == "onnxruntime":
                row.provider, row.note = "-", said("bench.export_failed", error=row.note)
            return row
        if backend == "onnxruntime":
            return self._onnx_row(row, size, bench, onnx_ready)
        timing = bench.get("timing")
        if not isinstance(timing, dict) or not all(isinstance(timing.get(k), (int, float))
                                                   for k in ("median_ms", "iqr_ms", "min_ms", "n")):
            row.note = said("bench.no_timing")
            return row
        from llmprep.bench.worker_side import timing_disagreement

        refused = timing_disagreement(timing, bench.get("elapsed_s"), bench.get("parent_s"), self.options.warmup_s)
        if refused:
            row.note = said("bench.timing_refused", why=refused)
            return row
        row.apply_timing(timing)
        memory = bench.get("peak_mem_bytes")
        row.peak_mem_bytes = int(memory) if isinstance(memory, (int, float)) else None
        row.correct = True if backend == "submission" else None
        row.note = None if backend == "submission" else said("bench.compiled_yours")
        return row

    def _onnx_row(self, row: BenchRow, size: SizeInputs, bench: dict, onnx_ready: Any) -> BenchRow:
        from llmprep.bench.measure import make_sampler, round_robin

        model = bench.get("model")
        if not isinstance(model, bytes):
            row.provider, row.note = "-", said("bench.no_model")
            return row
        try:
            path = Path(tempfile.mkdtemp(prefix="llmprep-onnx-")) / "submission.onnx"
            path.write_bytes(model)
            note = f"your code exported by the {bench.get('exporter')} exporter, opset {bench.get('opset')}"
            if bench.get("note"):
                note += f"; {bench['note']}"
            ready = onnx_ready(size, path, note)
            row.provider, row.correct, row.note, row.peak_mem_bytes = ready.provider, ready.correct, ready.note, ready.memory
            if ready.fn is not None:
                sampler = make_sampler(ready.fn, size.device, size.threads)
                timing = round_robin({"onnxruntime": sampler}, budget_s=self.options.budget_s,
                                     warmup_s=self.options.warmup_s)["onnxruntime"]
                row.apply_timing(timing)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            row.note = calls.short_error(exc)
        return row


def _phase_on_our_clock(run: Any, index: int) -> float | None:
    """Seconds from the worker's last `clock` frame before row `index` to the row, by llmprep's clock."""
    arrived = run.arrivals.get(index)
    marks = [t for _, t in run.marks if arrived is not None and t <= arrived]
    return arrived - marks[-1] if marks else None
