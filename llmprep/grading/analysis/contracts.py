"""Contracts the README states, quoted when a case breaks them: a wrong shape is reported with
the README's own sentence about the output's shape ("Output: ids.shape + (d_model,)")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from llmprep.grading.analysis.evidence import CaseEvidence, Finding
from llmprep.grading.wording import in_chinese

_SHAPE_WORDS = {"en": (("Output", "output", "→", "Return", "return"), ("shape", "(")),
                "zh": (("输出", "返回", "→"), ("形状", "("))}


# "(..., L, Dv)", "(B, T)", "(N,)": a shape written out, not any parenthesis (nor a tuple of numbers)
_SHAPE = re.compile(r"\((?:\.\.\.|…|[A-Za-z]\w*|\d+)(?:\s*[,×]\s*(?:\.\.\.|…|[A-Za-z]\w*|\d+))*\s*,?\)")


def readme_sentence(readme: str, lang: str) -> str | None:
    """The README's first sentence about the output's shape, whitespace folded, or None."""
    subject, detail = _SHAPE_WORDS.get(lang, _SHAPE_WORDS["en"])
    prose = re.sub(r"```.*?```", " ", readme, flags=re.S)
    pieces = [" ".join(p.replace("**", "").split())
              for p in re.split(r"(?<=[.;])\s+|(?<=[。；])|\n\s*-\s+|\n\s*\n", prose)]
    for wanted in (detail[:1], detail):  # a sentence that says "shape" first, then one with a shape in it
        for text in pieces:
            if any(s in text for s in subject) and any(d in text for d in wanted) and len(text) < 200:
                if wanted == detail[:1] or any(re.search(r"[A-Za-z…]|\.\.\.", m.group())
                                               for m in _SHAPE.finditer(text)):
                    return text
    return None


def shape_contract(cases: list[CaseEvidence], readme_en: str, readme_zh: str, forms: Sequence = ()) -> Finding | None:
    """A wrong shape, with the README's sentence about the shape it must have (`forms`: the
    exercise's own message forms, for its error in Chinese)."""
    broken = [c for c in cases if not c.passed and c.kind == "shape"]
    if not broken:
        return None
    en, zh = readme_sentence(readme_en, "en"), readme_sentence(readme_zh, "zh")
    if not en:
        return None
    case = broken[0]
    return Finding("shape-contract", f"The README says: \"{en}\". Case {case.name} ({case.inputs}) breaks it: "
                   f"{case.error}.",
                   f"README 写道：“{zh or en}”。用例 {case.name}（{case.inputs}）不符合：{in_chinese(case.error, forms)}。")


def axis_letters(readme: str, names: list[str]) -> dict[str, dict[int, str]]:
    """The README's names for the axes of each argument: "q (..., L, D)" gives q {-2: "L", -1: "D"}."""
    found: dict[str, dict[int, str]] = {}
    for name in names:
        match = re.search(rf"(?<![\w.]){re.escape(name)}`?\s*:?\s*\(([^()]*)\)", readme)
        if match is None:
            continue
        dims = [d.strip() for d in match.group(1).split(",") if d.strip()]
        if not dims or not all(d in ("...", "…") or re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,11}", d) for d in dims):
            continue
        letters: dict[int, str] = {}
        for i, dim in enumerate(reversed(dims)):
            if dim in ("...", "…"):
                break
            letters[-1 - i] = dim
        found[name] = letters
    return found
