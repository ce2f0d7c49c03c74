"""Paper citations: every `{paper: KEY}` source names an entry of sources.yaml's `papers`, and each entry
says what it is (title, authors, year, and an arXiv id or a URL-free reference).

The ten topics added for 2026 interviews are not covered by the five source documents, so each of their
questions must cite at least one paper; a seed document alone is not enough there.
"""

from __future__ import annotations

import re

import yaml
from raw_bank import NEW_TOPICS, QUESTIONS, RAW

PAPERS = yaml.safe_load((QUESTIONS / "sources.yaml").read_text(encoding="utf-8")).get("papers") or {}
QUESTION_LIST = [q for items in RAW.values() for q in items if isinstance(q, dict)]
ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")


def test_every_paper_entry_is_complete():
    problems = []
    for key, paper in PAPERS.items():
        for field in ("title", "authors"):
            if not isinstance(paper.get(field), str) or not paper[field].strip():
                problems.append(f"papers.{key}: no {field}")
        if not isinstance(paper.get("year"), int) or not 1950 <= paper["year"] <= 2030:
            problems.append(f"papers.{key}: year {paper.get('year')!r}")
        arxiv, reference = paper.get("arxiv"), paper.get("reference")
        if (arxiv is None) == (reference is None):
            problems.append(f"papers.{key}: needs exactly one of arxiv and reference")
        elif arxiv is not None and not ARXIV_ID.match(str(arxiv)):
            problems.append(f"papers.{key}: arxiv {arxiv!r} is not an id like 2203.15556")
        elif reference is not None and re.search(r"https?://|www\.", reference):
            problems.append(f"papers.{key}: the reference must not be a URL")
        elif arxiv is not None and not 0 <= paper["year"] % 100 - int(str(arxiv)[:2]) <= 2:
            # An arXiv id starts with the year and month it was first posted (2203: March 2022); the cited year
            # is that one or the venue's, at most two years later (AdamW: arXiv 1711, ICLR 2019).
            problems.append(f"papers.{key}: arxiv {arxiv} was posted in 20{str(arxiv)[:2]}, the year says {paper['year']}")
    assert not problems, "\n".join(problems)


def test_every_cited_paper_is_in_sources_yaml():
    problems = []
    for q in QUESTION_LIST:
        for number, source in enumerate(q.get("sources") or []):
            if isinstance(source, dict) and "paper" in source:
                if source["paper"] not in PAPERS:
                    problems.append(f"{q.get('id')}: sources[{number}]: paper {source['paper']!r} is not in sources.yaml")
                section = source.get("section")
                if not isinstance(section, str) or not section.strip():
                    problems.append(f"{q.get('id')}: sources[{number}]: no section (where in the paper)")
    assert not problems, "\n".join(problems)


def test_new_topic_questions_cite_a_paper():
    missing = [q.get("id") for q in QUESTION_LIST if q.get("topic") in NEW_TOPICS
               and not any(isinstance(s, dict) and "paper" in s for s in q.get("sources") or [])]
    assert not missing, "no paper cited by: " + ", ".join(missing)


def test_every_paper_entry_is_cited():
    cited = {s["paper"] for q in QUESTION_LIST for s in q.get("sources") or [] if isinstance(s, dict) and "paper" in s}
    unused = sorted(set(PAPERS) - cited)
    assert not unused, "sources.yaml lists papers no question cites: " + ", ".join(unused)
