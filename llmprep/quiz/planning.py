"""Choosing a session's questions: filters, a seeded pick, generated families, and one question by id.

Spaced repetition (schedule.py) chooses from the store instead; both hand `run_session` a list.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from llmprep.errors import UserError
from llmprep.messages import said
from llmprep.quiz.bank import Bank, check_topics
from llmprep.quiz.choices import ChoicesQuestion
from llmprep.quiz.messages import words
from llmprep.quiz.schema import GENERATED_ID, Question

DEFAULT_COUNT = 10
# Generated questions cost ~8 ms each, all made before the first is asked; no session needs more.
MAX_GENERATED = 100
# A selector picks n of the candidates; the seed makes the pick reproducible.
Selector = Callable[[Sequence[Question], int, int], list[Question]]


def filter_questions(
    questions: Sequence[Question],
    topics: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    types: Sequence[str] = (),
) -> list[Question]:
    """The questions that match every filter given (an empty filter matches all)."""
    return [
        q for q in questions
        if (not topics or q.topic in topics)
        and (not difficulties or q.difficulty in difficulties)
        and (not types or q.type in types)
    ]


def seeded_selection(candidates: Sequence[Question], n: int, seed: int) -> list[Question]:
    """A seeded shuffle of the candidates, then the first n."""
    pool = sorted(candidates, key=lambda q: q.id)  # the same pick whatever order the files load in
    random.Random(seed).shuffle(pool)
    return pool[:n]


def new_seed() -> int:
    """A fresh seed for a session started without --seed (printed so it can be replayed)."""
    return random.SystemRandom().randrange(1, 1_000_000)


def resolve_families(names: Sequence[str], topics: Sequence[str] = ()) -> list[str]:
    """The family names asked for; `all` is every family (of the --topic topics, when given)."""
    from llmprep.quiz.generators import load_families

    families = load_families()
    chosen: list[str] = []
    for name in names:
        if name == "all":
            chosen += [f.name for f in sorted(families.values(), key=lambda f: f.name)
                       if not topics or f.topic in topics]
        elif name in families:
            chosen.append(name)
        else:
            raise UserError(said("quiz.unknown_family", name=repr(name)), where="--generated",
                            fix=said("quiz.unknown_family_fix", known=", ".join(sorted(families)) or "-"))
    return list(dict.fromkeys(chosen))


def generate_questions(family_names: Sequence[str], count: int, seed: int) -> list[Question]:
    """`count` generated questions, spread round-robin over the families, reproducible from `seed`."""
    from llmprep.quiz.generators import FAMILIES

    rng = random.Random(f"{seed}:generated")
    used: set[tuple[str, int]] = set()
    questions: list[Question] = []
    for i in range(count):
        family = FAMILIES[family_names[i % len(family_names)]]
        question_seed = rng.randrange(1, 2**31)
        while (family.name, question_seed) in used:
            question_seed = rng.randrange(1, 2**31)
        used.add((family.name, question_seed))
        question = family.generate(question_seed)
        expected_id = f"gen:{family.name}:{question_seed}"
        # A broken family is a bug in llmprep, not the user's mistake: say exactly what is wrong.
        if not isinstance(question, Question) or question.id != expected_id or question.family != family.name:
            raise RuntimeError(f"generator family {family.name!r} returned a bad question for seed "
                               f"{question_seed}: expected a Question with id {expected_id!r} and "
                               f"family {family.name!r}, got {question!r:.200}")
        questions.append(question)
    return questions


@dataclass
class SessionPlan:
    """The questions of a session, in order, and notes for the user (e.g. fewer matched than asked)."""

    questions: list[Question]
    seed: int
    notes: list[str] = field(default_factory=list)


def plan_session(
    bank: Bank,
    *,
    count: int = DEFAULT_COUNT,
    seed: int | None = None,
    topics: Sequence[str] = (),
    difficulties: Sequence[str] = (),
    types: Sequence[str] = (),
    generated: Sequence[str] = (),
    selector: Selector = seeded_selection,
    lang: str = "en",
) -> SessionPlan:
    """Choose a session's questions.

    Bank questions: the filters, then `selector` (default: seeded shuffle, first n).
    Generated (`generated` names families, or `all`): with no bank filter all n questions
    are generated; with --topic, --difficulty or --type too, n // 2 are generated and the
    rest come from the bank, generated ones filling in when the bank has too few. Raises
    UserError when nothing matches.
    """
    seed = new_seed() if seed is None else seed
    topics = check_topics(topics)
    notes: list[str] = []
    say = words(lang)
    if generated and count > MAX_GENERATED:
        notes.append(say["capped"].format(count=count, cap=MAX_GENERATED))
        count = MAX_GENERATED
    families = resolve_families(generated, topics) if generated else []
    if generated and not families and not topics:
        raise UserError(said("quiz.no_families"), where="--generated", fix=said("quiz.no_families_fix"))
    if generated and not families:
        notes.append(say["no_family_covers"].format(topics=", ".join(topics)))
    bank_filters = bool(topics or difficulties or types)
    candidates = filter_questions(bank.questions, topics, difficulties, types)

    if families and not bank_filters:
        want_bank = 0
    elif families:
        want_bank = count - count // 2
    else:
        want_bank = count
    if want_bank > len(candidates):
        if not families:
            if not bank.questions:
                raise UserError(said("quiz.bank_empty"), where="llmprep quiz", fix=said("quiz.bank_empty_fix"))
            if not candidates:
                raise UserError(said("quiz.nothing_matches", filters=_describe_filters(topics, difficulties, types)),
                                where="llmprep quiz", fix=said("quiz.nothing_matches_fix"))
            notes.append(say["only_match"].format(count=len(candidates)))
        else:
            notes.append(say["only_bank_match"].format(count=len(candidates)))
        want_bank = len(candidates)
    chosen = selector(candidates, want_bank, seed) if want_bank else []
    made = generate_questions(families, count - len(chosen), seed) if families else []
    questions = chosen + made
    if chosen and made:
        random.Random(f"{seed}:mix").shuffle(questions)
    return SessionPlan(questions=questions, seed=seed, notes=notes)


def _describe_filters(topics: Sequence[str], difficulties: Sequence[str], types: Sequence[str]) -> str:
    parts = [f"--topic {t}" for t in topics] + [f"--difficulty {d}" for d in difficulties]
    parts += [f"--type {t}" for t in types]
    return " ".join(parts)


def choice_order_for(question: Question, seed: int) -> list[int] | None:
    """The order a question's choices are shown in: shuffled, reproducible from the seed and the id."""
    if not isinstance(question, ChoicesQuestion):
        return None
    order = list(range(len(question.choices or [])))
    random.Random(f"{seed}:{question.id}").shuffle(order)
    return order


def find_question(bank: Bank, question_id: str) -> Question:
    """The question with this id; `gen:<family>:<seed>` is made again by its family."""
    if question_id.startswith("gen:"):
        from llmprep.quiz.generators import load_families

        match = GENERATED_ID.match(question_id)
        families = load_families()
        if not match or match["family"] not in families:
            raise UserError(said("quiz.no_generated_question", id=repr(question_id)), where="ID",
                            fix=said("quiz.no_generated_question_fix", families=", ".join(sorted(families)) or "-"))
        return families[match["family"]].generate(int(match["seed"]))
    questions = bank.by_id()
    if question_id not in questions:
        close = difflib.get_close_matches(question_id, list(questions), n=3)
        raise UserError(said("quiz.no_question", id=repr(question_id)), where="ID",
                        fix=said("quiz.no_question_close_fix", close=", ".join(close)) if close
                        else said("quiz.no_question_fix"))
    return questions[question_id]


def search_questions(questions: Sequence[Question], text: str) -> list[Question]:
    """The questions whose prompt, choices, answer or explanation contain `text`, in either language."""
    from llmprep.quiz.answers import normalize

    needle = normalize(text).casefold()
    found = []
    for question in questions:
        haystack = " ".join(normalize(t.get(lang)).casefold() for t in question.texts() for lang in ("en", "zh"))
        if needle in haystack or needle in question.id:
            found.append(question)
    return found
