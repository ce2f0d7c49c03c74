"""The cases one check runs: the spec's cases, the framework's edge variants that the reference
accepts, and the first case once more at the end; with their requests and reference results."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmprep.exercises import Exercise
from llmprep.grading.cases import make_cases, reference_entry
from llmprep.grading.edge_cases import again, edge_variants


def field_of(value: Any, name: str, default: Any = None) -> Any:
    """`value[name]` for a dict, `value.name` for a dataclass: requests and outcomes are either."""
    if isinstance(value, dict):
        return value.get(name, default)
    return getattr(value, name, default)


class LazyResults:
    """The reference's results, each computed the first time it is asked for: a verdict that only
    needs the first failing case (the seed test) never pays for the others."""

    def __init__(self, run: Callable, requests: list[Any], done: dict[int, Any] | None = None):
        self.run, self.requests, self.done = run, requests, dict(done or {})

    def __len__(self) -> int:
        return len(self.requests)

    def __getitem__(self, index: int) -> Any:
        if index not in self.done:
            self.done[index] = self.run(self.requests[index])
        return self.done[index]

    def __iter__(self):
        return (self[i] for i in range(len(self)))


@dataclass
class Plan:
    """Cases in the order they run, their requests, the reference's results, and which case
    repeats which (index of the repeat: index of the original)."""

    cases: list[Any]
    sub_requests: list[Any]
    ref_requests: list[Any]
    references: list[Any]
    repeats: dict[int, int] = field(default_factory=dict)


def signature_defaults(exercise: Exercise) -> tuple[dict[str, Any], dict[str, Any]]:
    """({parameter: default} of the entry (its forward for a module), {parameter: default} of __init__)."""
    entry = reference_entry(exercise)
    call = entry.forward if exercise.kind == "module" else entry
    init = entry.__init__ if exercise.kind == "module" else None

    def defaults(fn) -> dict[str, Any]:
        if fn is None:
            return {}
        return {name: p.default for name, p in inspect.signature(fn).parameters.items()
                if name != "self" and p.default is not inspect.Parameter.empty}
    return defaults(call), defaults(init)


def _reference_usable(outcome: Any) -> bool:
    import torch

    from llmprep.grading.analysis.leaves import leaves

    if field_of(outcome, "error") is not None:
        return False
    output = field_of(outcome, "output")
    return all(bool(torch.isfinite(torch.as_tensor(v, dtype=torch.float64)).all())
               if not isinstance(v, torch.Tensor) or v.is_floating_point() else True
               for _, v in leaves(output))


def _reseeded(request: Any) -> Any:
    seed = (int(field_of(request, "seed", 0)) + 1) % 2**63
    if isinstance(request, dict):
        return {**request, "seed": seed}
    return dataclasses.replace(request, seed=seed)


def plan_cases(exercise: Exercise, seed: int, dtype: str, build_requests: Callable, run_reference: Callable) -> Plan:
    """The cases of one check with their requests and reference results (see the module doc)."""
    cases = make_cases(exercise, seed)
    call_defaults, _ = signature_defaults(exercise)
    options = {k: v for k, v in call_defaults.items() if v is not None}
    candidates = cases + edge_variants(exercise, cases, options)
    sub_requests, ref_requests = build_requests(exercise, candidates, dtype, seed)
    references = LazyResults(run_reference, ref_requests)
    keep = [i for i in range(len(candidates)) if i < len(cases) or _reference_usable(references[i])]
    plan = Plan([candidates[i] for i in keep], [sub_requests[i] for i in keep], [ref_requests[i] for i in keep],
                LazyResults(run_reference, [ref_requests[i] for i in keep], {k: references.done[i] for k, i in
                                                                            enumerate(keep) if i in references.done}))
    plan.repeats = {len(plan.cases): 0}
    plan.cases.append(again(cases[0]))
    # Another global seed for the repeat: randomness left in (dropout) then shows as two answers.
    # Harnesses draw their inputs from the seed, so theirs stays.
    plan.sub_requests.append(plan.sub_requests[0] if exercise.harness else _reseeded(plan.sub_requests[0]))
    plan.ref_requests.append(plan.ref_requests[0])
    plan.references.requests.append(plan.ref_requests[0])
    return plan
