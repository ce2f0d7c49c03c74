"""The grader behind `llmprep check`: cases from an exercise's spec, a sandboxed worker that
runs the submission, comparison with the reference in the parent, and diagnosis of mistakes.

Modules: `cases` (Case, loading an exercise's Python files), `worker` (the child process and
the one `run_case` used for submission, reference and mistakes alike), `sandbox` (starting and
policing the worker), `compare` (judging raw results), `check` (the whole run, the verdict
on each case and the diagnosis naming the mistake), `report` (what people read). Attempts are
recorded in `llmprep.store`.
"""

# The public face other engines use (the bench loads an exercise's files and compares outputs
# through these names only, never through the modules).
from llmprep.grading.cases import load_module, reference_entry  # noqa: E402
from llmprep.grading.compare import values_match  # noqa: E402

__all__ = ["load_module", "reference_entry", "values_match"]
