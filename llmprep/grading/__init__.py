"""The grader behind `llmprep check`: cases from an exercise's spec plus the framework's edge
variants, the submission run by `llmprep.execution`'s sandboxed worker, comparison with the
reference in the parent, diagnosis of listed mistakes and error analysis of the rest.

Modules: `cases` (loading an exercise's Python files), `plan` and `edge_cases` (the cases of one
check), `trusted` (reference and mistakes in this process), `judging` and `compare` (the verdict on
one case), `explain` and `analysis` (facts about a mismatch no mistake explains), `verdict` and
`check` (the whole run), `report` and `wording` (what people read, in English or Chinese). The
command, not the grader, records attempts.
"""

# The public face other engines use (the bench loads an exercise's files and compares outputs
# through these names only, never through the modules).
from llmprep.grading.cases import load_module, reference_entry  # noqa: E402
from llmprep.grading.compare import values_match  # noqa: E402

__all__ = ["load_module", "reference_entry", "values_match"]
