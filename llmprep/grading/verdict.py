"""What one `llmprep check` run concludes: the report and the diagnoses in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from llmprep.exercises import Exercise
from llmprep.grading.analysis import Finding
from llmprep.grading.compare import CaseResult


@dataclass
class Diagnosis:
    """A mistake whose output reproduces the submission's on every failing case."""

    id: str
    message: str


@dataclass
class CheckReport:
    """The whole verdict, as `llmprep check` prints it."""

    exercise: Exercise
    submission: Path
    passed: bool
    seed: int
    device: str
    dtype: str
    cases: list[CaseResult]
    diagnosis: list[Diagnosis] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the error analysis, when no mistake matches
    problem: str | None = None          # a failure before any case ran (import error, no entry)
    problem_traceback: str | None = None
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    lang: str = "en"
    sandbox: dict = field(default_factory=dict)  # which isolation layers held the worker

    @property
    def first_failure(self) -> CaseResult | None:
        """The first case that failed, if any."""
        return next((c for c in self.cases if not c.passed), None)

    def to_json(self) -> dict:
        """The document of `llmprep check --json`."""
        return {
            "exercise": self.exercise.id,
            "passed": self.passed,
            "seed": self.seed,
            "device": self.device,
            "dtype": self.dtype,
            "cases": [c.to_json() for c in self.cases],
            "diagnosis": [{"id": d.id, "message": d.message} for d in self.diagnosis],
            "findings": [{"id": f.id, "message": f.message(self.lang)} for f in self.findings],
            "problem": self.problem,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_s": round(self.duration_s, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "sandbox": self.sandbox,
        }
