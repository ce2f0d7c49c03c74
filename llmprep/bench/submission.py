"""The submission backend: `bench FILE` times your code (and torch.compile of it, and exports it to
ONNX) only inside the sandboxed grading worker; the rows come back on its private channel."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from llmprep.bench import calls
from llmprep.bench.plan import SizeInputs
from llmprep.bench.results import BenchRow
from llmprep.errors import UserError
from llmprep.exercises import Exercise


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
        from llmprep.grading.sandbox import DEFAULT_MEMORY_BYTES, WorkerProcess

        backends = self.worker_backends()
        if not backends:
            return {}
        options, runner = self.options, self.runner
        per_row = options.budget_s + options.warmup_s + 1.0
        exports = 60.0 if "onnx-export" in backends else 0.0
        compiles = 120.0 if "torch-compile" in backends else 0.0
        deadline_s = min(options.timeout_s, len(sizes) * (per_row * len(backends) + exports) + compiles + 30)
        surely_cpu = runner.device == "cpu" or not os.path.exists("/dev/nvidiactl")
        worker = WorkerProcess(deadline_s + 30, memory_bytes=DEFAULT_MEMORY_BYTES if surely_cpu else None)
        try:
            if not worker.wait_ready():
                worker.close()
                raise UserError("the bench worker could not start (python or torch failed to import)",
                                where=worker.run.stderr[-500:] or None, fix="run `llmprep doctor`")
            folder = tempfile.mkdtemp(prefix="llmprep-bench-")
            worker.send({"submission": str(options.file.resolve()), "entry": exercise.entry, "kind": exercise.kind,
                         "device": runner.device, "banned": [], "threads": runner.threads,
                         "harness": str(exercise.path(exercise.harness)) if exercise.harness else None,
                         "bench": {"runner": str(Path(__file__).with_name("worker_side.py")),
                                   "backends": backends, "budget_s": options.budget_s,
                                   "warmup_s": options.warmup_s, "deadline_s": deadline_s, "folder": folder}},
                        [s.request for s in sizes])
            run = worker.collect(len(sizes) * len(backends))
        except KeyboardInterrupt:
            worker.close()
            run = worker.run
            runner.result.interrupted = True
        if run.import_error or run.missing_entry is not None:
            raise UserError("the submission failed to load in the bench worker", where=str(options.file),
                            fix="run `llmprep check` on it")
        rows: dict[str, list[BenchRow]] = {}
        for index in sorted(run.cases):
            bench = run.cases[index].get("bench")
            if isinstance(bench, dict) and isinstance(bench.get("case"), int) and bench["case"] < len(sizes):
                size = sizes[bench["case"]]
                rows.setdefault(size.name, []).append(self._row(size, bench))
        if run.ended == "timeout":
            runner.result.notes.append(f"the bench worker ran out of time after {deadline_s:.0f} s; later rows are missing")
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
                row.provider, row.note = "-", f"export failed: {row.note}"
            return row
        if backend == "onnxruntime":
            return self._onnx_row(row, size, bench, onnx_ready)
        timing = bench.get("timing")
        if not isinstance(timing, dict) or not all(isinstance(timing.get(k), (int, float))
                                                   for k in ("median_ms", "iqr_ms", "min_ms", "n")):
            row.note = "the worker sent no timing"
            return row
        row.apply_timing(timing)
        memory = bench.get("peak_mem_bytes")
        row.peak_mem_bytes = int(memory) if isinstance(memory, (int, float)) else None
        row.correct = True if backend == "submission" else None
        row.note = None if backend == "submission" else "torch.compile of your code (output not compared)"
        return row

    def _onnx_row(self, row: BenchRow, size: SizeInputs, bench: dict, onnx_ready: Any) -> BenchRow:
        from llmprep.bench.measure import make_sampler, round_robin

        model = bench.get("model")
        if not isinstance(model, bytes):
            row.provider, row.note = "-", "the worker sent no ONNX model"
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
