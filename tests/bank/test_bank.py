"""The real question bank: valid, complete in both languages, its sources real, and big enough.

Most checks read the YAML with yaml.safe_load themselves rather than trusting llmprep's loader,
so a loader bug cannot hide a bad bank; one test runs the loader too.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from raw_bank import NEW_TOPICS, QUESTIONS, RAW, topic_files

from llmprep.quiz import DIFFICULTIES, TOPIC_IDS
from llmprep.quiz.bank import count_lines, read_bank

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"  # beside a checkout in CI and in the workspace
SEEDS = SHARED / "seeds"
LANGS = ("en", "zh")


QUESTION_LIST = [(name, q) for name, items in RAW.items() for q in items]
SOURCES = yaml.safe_load((QUESTIONS / "sources.yaml").read_text(encoding="utf-8"))["documents"]
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"needs the five source documents in {SEEDS} (the shared/ folder beside the checkout, from the project workspace)")


def _qid(item) -> str:
    return item.get("id", "?") if isinstance(item, dict) else "?"


def _problems(check) -> list[str]:
    found = []
    for name, question in QUESTION_LIST:
        for message in check(question):
            found.append(f"{name}: {_qid(question)}: {message}")
    return found


def test_the_loader_finds_no_problem():
    _, problems = read_bank(QUESTIONS)
    assert not problems, "\n".join(str(p) for p in problems)


def test_topic_ids_match_topics_md():
    topics_md = SHARED / "TOPICS.md"
    if not topics_md.is_file():
        pytest.skip(f"needs {topics_md} (the shared/ folder beside the checkout, from the project workspace)")
    section = topics_md.read_text(encoding="utf-8").split("## Topic ids", 1)[1].split("\n## ", 1)[0]
    ids = tuple(i for i in re.findall(r"^\| ([a-z-]+) \|", section, re.M) if i != "id")  # "id": the header row
    # TOPICS.md (read-only, beside the checkout) lists the seed documents' 16 topics; the 10 topics that the
    # documents do not cover follow them, in the order of questions/FORMAT.md.
    assert TOPIC_IDS[:len(ids)] == ids
    assert TOPIC_IDS[len(ids):] == NEW_TOPICS


def test_every_file_is_a_topic_and_holds_a_list():
    for path in topic_files():
        assert path.stem in TOPIC_IDS, f"{path.name} is not named after a topic id"
        assert isinstance(RAW[path.name], list), f"{path.name} must hold a list of questions"
        assert all(isinstance(q, dict) for q in RAW[path.name]), path.name


def test_ids_are_unique_across_files():
    seen: dict[str, str] = {}
    duplicates = []
    for name, question in QUESTION_LIST:
        qid = _qid(question)
        if qid in seen:
            duplicates.append(f"{qid}: in {seen[qid]} and {name}")
        seen.setdefault(qid, name)
    assert not duplicates, "\n".join(duplicates)


def test_topic_equals_file_name_and_is_known():
    def check(q):
        if q.get("topic") not in TOPIC_IDS:
            yield f"unknown topic {q.get('topic')!r}"
    wrong = _problems(check)
    wrong += [f"{name}: {_qid(q)}: topic {q.get('topic')!r}" for name, q in QUESTION_LIST
              if q.get("topic") != Path(name).stem]
    assert not wrong, "\n".join(wrong)


def _normalized(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def test_choice_questions_have_one_correct_index_and_distinct_choices():
    def check(q):
        choices = q.get("choices") or []
        if q.get("type") in ("choice", "multi", "order"):
            if not 3 <= len(choices) <= 6:
                yield f"{len(choices)} choices"
            for lang in LANGS:
                texts = [_normalized(c.get(lang, "")) for c in choices]
                if len(set(texts)) != len(texts):
                    yield f"duplicate choices in {lang}"
        if q.get("type") == "choice":
            answer = q.get("answer")
            if type(answer) is not int or not 0 <= answer < len(choices):
                yield f"answer {answer!r} is not one index into {len(choices)} choices"
    problems = _problems(check)
    assert not problems, "\n".join(problems)


def test_multi_and_order_answers_are_valid():
    def check(q):
        answer, n = q.get("answer"), len(q.get("choices") or [])
        if q.get("type") == "multi":
            if not (isinstance(answer, list) and all(type(i) is int for i in answer)
                    and len(set(answer)) == len(answer) >= 2 and all(0 <= i < n for i in answer)):
                yield f"multi answer {answer!r} is not >= 2 distinct indices into {n} choices"
        if q.get("type") == "order":
            if not (isinstance(answer, list) and sorted(answer) == list(range(n))):
                yield f"order answer {answer!r} is not a permutation of {n} choices"
            elif answer == list(range(n)):
                yield "choices are not listed shuffled"
    problems = _problems(check)
    assert not problems, "\n".join(problems)


def _texts(q) -> list[tuple[str, object]]:
    texts = [("prompt", q.get("prompt")), ("explanation", q.get("explanation"))]
    texts += [(f"choices[{i}]", c) for i, c in enumerate(q.get("choices") or [])]
    for key in ("source_error", "unit"):
        if key in q:
            texts.append((key, q[key]))
    if q.get("type") == "short":
        texts.append(("answer", q.get("answer")))
    return texts


def test_every_question_is_complete_in_english_and_chinese():
    def check(q):
        for where, text in _texts(q):
            for lang in LANGS:
                value = text.get(lang) if isinstance(text, dict) else None
                if not isinstance(value, str) or not value.strip():
                    yield f"{where}.{lang} missing or empty"
        if q.get("type") == "short" and "accept" in q:
            for lang in LANGS:
                groups = q["accept"].get(lang)
                if not groups or not all(groups):
                    yield f"accept.{lang} missing or has an empty group"
        if not q.get("sources"):
            yield "no sources"
    problems = _problems(check)
    assert not problems, "\n".join(problems)


def test_chinese_text_is_chinese():
    # A zh field copied from en would pass the completeness check; the prompt at least must have Han.
    han = re.compile(r"[\u4e00-\u9fff]")
    problems = _problems(lambda q: [] if han.search(str((q.get("prompt") or {}).get("zh", "")))
                         else ["prompt.zh has no Chinese characters"])
    assert not problems, "\n".join(problems)


def _doc_ranges():
    for name, question in QUESTION_LIST:
        for number, source in enumerate(question.get("sources") or []):
            if isinstance(source, dict) and "doc" in source:
                yield f"{name}: {_qid(question)}: sources[{number}]", source["doc"], source.get("lines")


def test_doc_sources_name_a_document_and_lie_within_it():
    problems = []
    for where, doc, lines in _doc_ranges():
        if doc not in SOURCES:
            problems.append(f"{where}: {doc!r} is not in sources.yaml")
        elif not (isinstance(lines, list) and len(lines) == 2 and 1 <= lines[0] <= lines[1] <= SOURCES[doc]["lines"]):
            problems.append(f"{where}: lines {lines} not within 1..{SOURCES[doc]['lines']} of {doc}")
    assert not problems, "\n".join(problems)


@needs_seeds
def test_sources_yaml_line_counts_are_the_real_files():
    assert sorted(SOURCES) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name, document in SOURCES.items():
        assert document["lines"] == count_lines(SEEDS / name), name
        # The same count by other means: what `sed -n` can address.
        assert document["lines"] == len((SEEDS / name).read_text(encoding="utf-8").split("\n")) - 1, name


@needs_seeds
def test_doc_ranges_lie_within_the_real_files():
    real = {p.name: count_lines(p) for p in SEEDS.glob("*.txt")}
    problems = [f"{where}: {doc} {lines} (the file has {real.get(doc)} lines)" for where, doc, lines in _doc_ranges()
                if doc not in real or not isinstance(lines, list) or lines[-1] > real[doc]]
    assert not problems, "\n".join(problems)


# The targets of issue #3. They fail until the content has landed.
TYPE_COUNTS = Counter(q.get("type") for _, q in QUESTION_LIST)
TOPIC_COUNTS = Counter(q.get("topic") for _, q in QUESTION_LIST)


def test_at_least_240_questions():
    assert len(QUESTION_LIST) >= 240


@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_every_topic_has_enough_questions(topic):
    assert TOPIC_COUNTS[topic] >= (15 if topic == "code-review" else 10), dict(TOPIC_COUNTS)


def test_at_least_40_spot_the_error_questions():
    assert sum("source_error" in q for _, q in QUESTION_LIST) >= 40


def test_at_least_40_numeric_questions():
    assert TYPE_COUNTS["numeric"] >= 40


def test_at_least_four_question_types():
    assert len([t for t in TYPE_COUNTS if t]) >= 4, dict(TYPE_COUNTS)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_each_difficulty_is_at_least_a_fifth_of_the_bank(difficulty):
    count = sum(q.get("difficulty") == difficulty for _, q in QUESTION_LIST)
    assert QUESTION_LIST and count >= 0.2 * len(QUESTION_LIST), f"{count} of {len(QUESTION_LIST)}"
