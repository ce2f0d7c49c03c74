"""Sources in words: "ERNIE guide § 3.3.4 模型评估, lines 353–360", a paper with its section, the cited passage.

The seed documents are not shipped with llmprep: they sit in `../shared/seeds` beside a
checkout, or wherever `LLMPREP_SEEDS` points. Without them a source still reads well (the
title from sources.yaml and the lines); only the section heading and the passage need them.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from llmprep.quiz.messages import words

if TYPE_CHECKING:
    from llmprep.quiz.bank import Bank
    from llmprep.quiz.schema import Source

_HEADING = re.compile(r"^(?:<\|\w+\|>)?\s*(#{1,6})\s+(?P<title>\S.*?)\s*#*\s*$")


def seeds_dir() -> Path:
    """Where the seed documents are: $LLMPREP_SEEDS, else ../shared/seeds beside the repository."""
    from llmprep.paths import PACKAGE_DIR

    override = os.environ.get("LLMPREP_SEEDS")
    return Path(override) if override else PACKAGE_DIR.parent.parent / "shared" / "seeds"


@lru_cache(maxsize=8)
def _document_lines(path: Path) -> tuple[str, ...] | None:
    try:
        return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return None


def section_heading(document: str, line: int) -> str | None:
    """The nearest Markdown heading at or above `line` (1-based) in a seed document; None without the document."""
    lines = _document_lines(seeds_dir() / document)
    if lines is None:
        return None
    for number in range(min(line, len(lines)) - 1, -1, -1):
        match = _HEADING.match(lines[number])
        if match:
            return match["title"]
    return None


def cited_passage(source: Source) -> list[str] | None:
    """The lines a `doc` source cites, or None when the document is not here."""
    lines = _document_lines(seeds_dir() / source.doc)
    if lines is None:
        return None
    first, last = source.lines
    return list(lines[first - 1:last])


def line_span(first: int, last: int, lang: str) -> str:
    """'lines 612–618' or 'line 44' ('第 612–618 行')."""
    say = words(lang)
    if first == last:
        return say["line"].format(span=first)
    return say["lines"].format(span=f"{first}–{last}")


def describe_source(source: Source, bank: Bank, lang: str) -> str:
    """A source in words: the document's title and section heading with the lines, or the paper and its section."""
    if source.paper is not None:
        paper = bank.papers.get(source.paper)
        return paper.cite(source.section) if paper else f"{source.paper}" + (f", {source.section}" if source.section else "")
    if source.ref is not None:
        return source.ref
    document = bank.documents.get(source.doc)
    title = document.title.get(lang) if document else source.doc
    heading = section_heading(source.doc, source.lines[0])
    where = f" § {heading}" if heading else ""
    return f"{title}{where}, {line_span(*source.lines, lang)}"


def short_source(source: Source, bank: Bank) -> str:
    """A source in a table cell: 'ERNIE guide 612–618', 'vaswani2017 §3.2.1', 'ref'."""
    if source.paper is not None:
        return source.paper + (f" {source.section}" if source.section else "")
    if source.ref is not None:
        return "ref"
    document = bank.documents.get(source.doc)
    first, last = source.lines
    return f"{document.short if document else source.doc} {first}–{last}" if first != last else \
        f"{document.short if document else source.doc} {first}"
