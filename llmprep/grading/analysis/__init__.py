"""Error analysis: facts about a mismatch that no listed mistake explains.

Each analysis is a small function that looks at the failing cases (and the passing ones, for
contrast) and either states one fact, in English and Chinese, or says nothing. `analyse` runs
them all, in the order a person would want to read them, and keeps what they found.

Modules: `evidence` (what an analysis may look at), `leaves` (the tensors and numbers inside an
output), `values` (ratio, sign, offset, a function of the reference, a per-row factor),
`placement` (right values in the wrong places, shifts, where the errors sit, sums along the
wrong axis), `attributes` (what the failing cases share that the passing ones lack), `calls`
(state kept between calls, randomness, exceptions, non-finite values, gradients only),
`sequences` (rows of token ids: which are missing and how they end).
"""

from __future__ import annotations

from llmprep.grading.analysis.evidence import CaseEvidence, Finding


def analyse(cases: list[CaseEvidence]) -> list[Finding]:
    """Every fact the analyses can state about these cases' failures, most telling first."""
    from llmprep.grading.analysis import attributes, calls, placement, sequences, values

    if all(case.passed for case in cases):
        return []
    found: list[Finding] = []
    for analysis in (calls.state_between_calls, calls.failed_check, calls.same_exception, calls.gradients_only,
                     calls.nonfinite_direction, attributes.only_on_shared_attribute, attributes.one_case_stands_out,
                     values.value_relation, placement.longer_or_shorter, placement.wrong_places, placement.shifted,
                     placement.where_wrong, placement.sums_to_one, sequences.missing_rows_end_with_argument,
                     calls.which_parts):
        try:
            finding = analysis(cases)
        except Exception:  # an analysis that trips on an odd output must not hide the verdict
            finding = None
        if finding is not None and all(f.id != finding.id for f in found):
            found.append(finding)
    return found


__all__ = ["CaseEvidence", "Finding", "analyse"]
