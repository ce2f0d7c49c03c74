"""Spaced repetition for the quiz: FSRS (the `fsrs` package) on cards kept in the progress store.

A card is a bank question (card id = the question id) or a generator family (card id
`gen:<family>`: every question a family makes reviews the same skill). Ratings are FSRS's:
an auto-graded answer is Good when right and Again when wrong; a self-graded one is the
rating the person chose. Fuzzing is off so that a card's schedule is a pure function of its
review log: replaying the log (after `llmprep progress import`) gives the same due dates.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from llmprep.errors import UserError
from llmprep.messages import said, translator
from llmprep.quiz.bank import check_topics
from llmprep.quiz.messages import words
from llmprep.quiz.planning import filter_questions, new_seed, plan_session, seeded_selection
from llmprep.quiz.session import AGAIN, GOOD, AnswerResult

if TYPE_CHECKING:
    from llmprep.quiz.bank import Bank
    from llmprep.quiz.schema import Question
    from llmprep.store import CardRow, Store

# Card.card_id only names a card inside fsrs; ours are strings, so every card gets the same int
# (fsrs' default is the creation time in ms, after a 1 ms sleep).
_FSRS_CARD_ID = 0


def card_id_for(question: Question) -> str:
    """The card a question reviews: its own id, or `gen:<family>` for a generated one."""
    return f"gen:{question.family}" if question.family else question.id


def family_of_card(card_id: str) -> str | None:
    """The family name of a `gen:<family>` card, else None."""
    return card_id[len("gen:"):] if card_id.startswith("gen:") and card_id.count(":") == 1 else None


def content_hash(question: Question) -> str | None:
    """A short hash of everything a bank question says (None for generated ones: they vary by design)."""
    if question.family:
        return None
    content = question.content_json()
    del content["id"]
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def rating_of(result: AnswerResult) -> int | None:
    """The FSRS rating an answer earns: the chosen one if self-graded, else Good/Again; None if ungraded."""
    if result.rating is not None:
        return result.rating
    if result.correct is None:
        return None
    return GOOD if result.correct else AGAIN


def _scheduler():
    # Imported here: fsrs costs ~50 ms and only answering or replaying needs it.
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def advance_card(card_json: str | None, rating: int, reviewed_at: datetime) -> tuple[str, datetime]:
    """Review a card (its fsrs JSON, or None for a new card): the new card JSON and its due time."""
    from fsrs import Card, Rating

    card = Card.from_dict(json.loads(card_json)) if card_json else Card(card_id=_FSRS_CARD_ID, due=_utc(reviewed_at))
    card, _ = _scheduler().review_card(card, Rating(rating), review_datetime=_utc(reviewed_at))
    return json.dumps(card.to_dict()), card.due


def _utc(moment: datetime) -> datetime:
    # fsrs insists on tzinfo being exactly timezone.utc.
    return moment.astimezone(timezone.utc)


@dataclass
class ScheduledPick:
    """What the schedule serves: due cards' questions first, then new ones, and notes for the user."""

    questions: list[Question]
    due: int
    new: int
    notes: list[str] = field(default_factory=list)


def due_questions(cards: Sequence[CardRow], bank: Bank, seed: int, lang: str = "en") -> tuple[list[Question], list[str]]:
    """The question to ask for each due card, in the cards' order; a card whose question is gone is skipped."""
    from llmprep.quiz.generators import load_families

    by_id = bank.by_id()
    questions: list[Question] = []
    gone: list[str] = []
    families = None
    rng = random.Random(f"{seed}:due")
    for card in cards:
        family_name = family_of_card(card.card_id)
        if family_name is None:
            question = by_id.get(card.card_id)
        else:
            families = load_families() if families is None else families
            family = families.get(family_name)
            question = family.generate(rng.randrange(1, 2**31)) if family else None
        if question is None:
            gone.append(card.card_id)
        else:
            questions.append(question)
    notes = [words(lang)["cards_gone"].format(count=len(gone), ids=", ".join(gone[:5]) + (" ..." if len(gone) > 5 else ""))
             ] if gone else []
    return questions, notes


def pick_scheduled(bank: Bank, store: Store, *, count: int, new: int, seed: int, lang: str = "en",
                   now: datetime | None = None) -> ScheduledPick:
    """Due reviews first (most overdue first), then up to `new` never-rated bank questions; `count` at most."""
    now = now or datetime.now(timezone.utc)
    due, notes = due_questions(store.reviews.due_cards(now), bank, seed, lang)
    due = due[:count]
    scheduled = store.reviews.scheduled_card_ids()
    unseen = [q for q in bank.questions if q.id not in scheduled]
    fresh = seeded_selection(unseen, min(new, count - len(due)), seed)
    return ScheduledPick(questions=due + fresh, due=len(due), new=len(fresh), notes=notes)


def pick_due_only(bank: Bank, store: Store, *, count: int, seed: int, topics: Sequence[str] = (), lang: str = "en",
                  difficulties: Sequence[str] = (), types: Sequence[str] = (),
                  now: datetime | None = None) -> ScheduledPick:
    """Only the due cards (most overdue first), narrowed by the filters; `count` at most."""
    now = now or datetime.now(timezone.utc)
    cards = [card for card in store.reviews.due_cards(now) if not topics or card.topic in topics]
    questions, notes = due_questions(cards, bank, seed, lang)
    if difficulties or types:
        # Generated questions have a difficulty and type too, so the same filter applies.
        questions = filter_questions(questions, (), difficulties, types)
    questions = questions[:count]
    return ScheduledPick(questions=questions, due=len(questions), new=0, notes=notes)


class AnswerRecorder:
    """The session's `on_answer`: commits each answer to the store the moment it is given.

    `on_change(question_id)` is called when a question's content changed since its card was
    last reviewed (the history is kept; the change is noted in the store).
    """

    def __init__(self, store: Store, questions: Iterable[Question], on_change=None):
        self.store = store
        self.questions = {question.id: question for question in questions}
        self.on_change = on_change

    def __call__(self, result: AnswerResult) -> None:
        from llmprep.store import ReviewRecord

        question = self.questions[result.question_id]
        record = ReviewRecord(card_id=card_id_for(question), question_id=question.id, topic=question.topic,
                              reviewed_at=result.answered_at, rating=rating_of(result), correct=result.correct,
                              given=result.given, seconds=round(result.seconds, 3),
                              content_hash=content_hash(question))
        changed = self.store.reviews.record(record, advance_card)
        if changed and self.on_change is not None:
            self.on_change(question.id)


@dataclass
class QuizPlan:
    """A session's questions and what to tell the user about how they were chosen.

    `mode` is "review" (due first, then new), "due" (only due) or "drill" (filters or --seed:
    a seeded pick that ignores the schedule; answers are still recorded). `schedule` is the
    `schedule` entry of `llmprep quiz --json`.
    """

    questions: list[Question]
    seed: int
    mode: str
    notes: list[str] = field(default_factory=list)  # warnings
    info: list[str] = field(default_factory=list)  # plain diagnostics
    schedule: dict = field(default_factory=dict)


def plan_quiz(bank: Bank, store: Store, *, count: int, new: int, seed: int | None, due_only: bool = False,
              topics: Sequence[str] = (), difficulties: Sequence[str] = (), types: Sequence[str] = (),
              generated: Sequence[str] = (), now: datetime | None = None, lang: str = "en") -> QuizPlan:
    """Choose a quiz session's questions: due reviews and new ones, only due ones, or a seeded drill."""
    now = now or datetime.now(timezone.utc)
    say = words(lang)
    drill = bool(topics or difficulties or types or generated or seed is not None)
    if due_only and generated:
        raise UserError(said("quiz.due_with_generated"), where="llmprep quiz", fix=said("quiz.due_with_generated_fix"))
    if not due_only and drill:
        plan = plan_session(bank, count=count, seed=seed, topics=topics, difficulties=difficulties, types=types,
                            generated=generated, lang=lang)
        info = [] if seed is not None else [say["replay_seed"].format(seed=plan.seed)]
        return QuizPlan(plan.questions, plan.seed, "drill", plan.notes, info, {"mode": "drill"})
    seed = new_seed() if seed is None else seed
    if due_only:
        pick = pick_due_only(bank, store, count=count, seed=seed, topics=check_topics(topics),
                             difficulties=difficulties, types=types, now=now, lang=lang)
    else:
        if not bank.questions and not store.reviews.scheduled_card_ids():
            raise UserError(said("quiz.bank_empty"), where="llmprep quiz", fix=said("quiz.bank_empty_fix"))
        pick = pick_scheduled(bank, store, count=count, new=new, seed=seed, now=now, lang=lang)
    upcoming = store.reviews.next_due(now) if not pick.questions else None
    schedule = {"mode": "due" if due_only else "review", "due": pick.due, "new": pick.new,
                "next_due": iso_utc(upcoming.due) if upcoming else None}
    info: list[str] = []
    if pick.questions:
        info.append(say["due_only" if due_only else "due_and_new"].format(due=pick.due, new=pick.new))
    elif due_only or new == 0:
        info.append(say["nothing_due_next"].format(card=upcoming.card_id, when=describe_due(upcoming.due, now, lang))
                    if upcoming else say["nothing_due_first"])
    else:
        later = say["all_answered_next"].format(when=describe_due(upcoming.due, now, lang)) if upcoming else ""
        info.append(say["all_answered"].format(next=later))
    return QuizPlan(pick.questions, seed, schedule["mode"], pick.notes, info, schedule)


def iso_utc(moment: datetime) -> str:
    """A time for JSON: ISO 8601 in UTC, to the second."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def describe_due(due: datetime, now: datetime | None = None, lang: str = "en") -> str:
    """'in 3h 20m (2026-05-01 14:30)' in local time, in `lang` ('1 小时 5 分钟后（…）'); 'now' when it is
    already due. The quiz's outlook, `progress` and `next` all say it this way."""
    _ = translator(lang)
    now = now or datetime.now(timezone.utc)
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return _("due.now")
    days, rest = divmod(int(seconds // 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    span = (_("due.days_hours", days=days, hours=hours) if days else
            _("due.hours_minutes", hours=hours, minutes=minutes) if hours else _("due.minutes", minutes=max(minutes, 1)))
    return _("due.in", span=span, at=due.astimezone().strftime("%Y-%m-%d %H:%M"))


def streak_days(times: Iterable[datetime], today: date) -> int:
    """How many days in a row, ending today (or yesterday, when today has nothing yet), have an answer."""
    days = {moment.astimezone().date() for moment in times}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def outlook(store: Store, now: datetime | None = None, lang: str = "en") -> dict:
    """What comes after a session: reviews due now, the next one's time, those due within a day, the streak."""
    now = now or datetime.now(timezone.utc)
    due_now = len(store.reviews.due_cards(now))
    upcoming = store.reviews.next_due(now)
    within_day = len(store.reviews.due_cards(now + timedelta(days=1))) - due_now
    times = store.reviews.activity_times(now - timedelta(days=400))
    return {"due_now": due_now, "next_due": iso_utc(upcoming.due) if upcoming else None,
            "next_due_text": describe_due(upcoming.due, now, lang) if upcoming else None,
            "due_within_day": within_day, "streak_days": streak_days(times, now.astimezone().date())}
