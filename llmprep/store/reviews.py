"""The quiz's part of the store: cards (FSRS state) and their append-only review log.

Nothing here imports fsrs: the quiz passes the scheduling step in
(`llmprep.quiz.schedule.advance_card`), keeping the data flow cli -> quiz -> store. A card is
always what `replay` of its review log, in time order, makes it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from llmprep.store.database import Database, database_errors, iso, new_uid, now_utc, parse_time

# (card JSON or None for a new card, rating, time) -> (new card JSON, due)
AdvanceCard = Callable[[str | None, int, datetime], tuple[str, datetime]]


@dataclass
class ReviewRecord:
    """One answered quiz question, as the review log keeps it."""

    card_id: str
    question_id: str
    topic: str
    reviewed_at: datetime
    rating: int | None
    correct: bool | None
    given: str = ""
    seconds: float | None = None
    content_hash: str | None = None
    uid: str | None = None


@dataclass
class CardRow:
    """A scheduled card: its id, topic and when it is due."""

    card_id: str
    topic: str
    due: datetime


def replay(ratings: Iterable[tuple[int | None, datetime]], advance: AdvanceCard) -> tuple[str, datetime] | None:
    """A card's state (JSON, due) from its reviews (rating, time) applied in time order; unrated ones
    (None) change nothing. None when no review is rated. The one replay: the store rebuilds cards with it."""
    state: tuple[str, datetime] | None = None
    for rating, reviewed_at in sorted(ratings, key=lambda review: review[1]):
        if rating is not None:
            state = advance(state[0] if state else None, rating, reviewed_at)
    return state


_UPSERT_CARD = (
    "INSERT INTO cards (card_id, topic, content_hash, fsrs_card, due, last_review) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (card_id) DO UPDATE SET topic = excluded.topic,"
    " content_hash = coalesce(excluded.content_hash, cards.content_hash),"
    " fsrs_card = excluded.fsrs_card, due = excluded.due, last_review = excluded.last_review")
_INSERT_REVIEW = (
    "INSERT OR IGNORE INTO reviews (uid, card_id, question_id, topic, reviewed_at, rating, correct, given, seconds,"
    " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def insert_review(db: sqlite3.Connection, record: ReviewRecord) -> bool:
    """Append one review to the log (inside a write); False when its uid is already there."""
    return bool(db.execute(_INSERT_REVIEW, (
        record.uid or new_uid(), record.card_id, record.question_id, record.topic, iso(record.reviewed_at),
        record.rating, None if record.correct is None else int(record.correct), record.given, record.seconds,
        record.content_hash)).rowcount)


def rebuild_card(db: sqlite3.Connection, card_id: str, advance: AdvanceCard) -> None:
    """Replay a card's whole review log (inside a write) into its schedule."""
    rows = db.execute("SELECT rating, reviewed_at, topic, content_hash FROM reviews WHERE card_id = ?"
                      " ORDER BY reviewed_at, id", (card_id,)).fetchall()
    state = replay([(rating, parse_time(at)) for rating, at, _topic, _hash in rows], advance)
    if state is None:
        return
    last_rated_at = max(at for rating, at, _topic, _hash in rows if rating is not None)
    _rating, _at, topic, content_hash = rows[-1]
    db.execute(_UPSERT_CARD, (card_id, topic, content_hash, state[0], iso(state[1]), last_rated_at))


class Reviews:
    """Cards and the review log."""

    def __init__(self, database: Database):
        self.database = database
        self._db = database.connection

    @database_errors
    def record(self, record: ReviewRecord, advance: AdvanceCard) -> bool:
        """Append one answer to the review log and reschedule its card, in one committed transaction.

        `advance` is the scheduling step (schedule.advance_card); an ungraded answer (rating
        None) is logged but leaves the card as it was. Returns True when the question's content
        changed since the card was last reviewed (the change is noted; the history is kept).
        """
        with self.database.write() as db:
            row = db.execute("SELECT fsrs_card, content_hash, last_review FROM cards WHERE card_id = ?",
                             (record.card_id,)).fetchone()
            changed = bool(row and record.content_hash and row[1] and row[1] != record.content_hash)
            at = iso(record.reviewed_at)
            if changed:
                db.execute("INSERT INTO content_changes (card_id, changed_at, old_hash, new_hash) VALUES (?, ?, ?, ?)",
                           (record.card_id, at, row[1], record.content_hash))
            insert_review(db, record)
            if record.rating is not None and row and row[2] > at:
                # Another process committed a later answer first: replay the log in time order, so the
                # card is always what its reviews, in the order they were given, make it.
                rebuild_card(db, record.card_id, advance)
            elif record.rating is not None:
                card_json, due = advance(row[0] if row else None, record.rating, record.reviewed_at)
                db.execute(_UPSERT_CARD, (record.card_id, record.topic, record.content_hash, card_json, iso(due), at))
            elif changed:
                db.execute("UPDATE cards SET content_hash = ? WHERE card_id = ?", (record.content_hash, record.card_id))
        return changed

    @database_errors
    def due_cards(self, now: datetime | None = None) -> list[CardRow]:
        """The cards due at `now` (default: now), most overdue first."""
        rows = self._db.execute("SELECT card_id, topic, due FROM cards WHERE due <= ? ORDER BY due, card_id",
                                (iso(now or now_utc()),)).fetchall()
        return [CardRow(card_id, topic, parse_time(due)) for card_id, topic, due in rows]

    @database_errors
    def next_due(self, after: datetime | None = None) -> CardRow | None:
        """The first card due after `after` (default: now), or None."""
        row = self._db.execute("SELECT card_id, topic, due FROM cards WHERE due > ? ORDER BY due LIMIT 1",
                               (iso(after or now_utc()),)).fetchone()
        return CardRow(row[0], row[1], parse_time(row[2])) if row else None

    @database_errors
    def scheduled_card_ids(self) -> set[str]:
        """Every card with a schedule (rated at least once)."""
        return {card_id for (card_id,) in self._db.execute("SELECT card_id FROM cards")}

    @database_errors
    def card_state(self, card_id: str) -> dict[str, Any] | None:
        """A card's stored fsrs state (Card.to_dict()) and content hash, or None for a new card."""
        row = self._db.execute("SELECT fsrs_card, content_hash FROM cards WHERE card_id = ?", (card_id,)).fetchone()
        return {**json.loads(row[0]), "content_hash": row[1]} if row else None

    @database_errors
    def log(self, card_id: str | None = None) -> list[dict[str, Any]]:
        """The review log (of one card, or all), oldest first."""
        where, args = ("WHERE card_id = ?", (card_id,)) if card_id else ("", ())
        return self.database.rows(f"SELECT uid, card_id, question_id, topic, reviewed_at, rating, correct, given,"
                                  f" seconds, content_hash FROM reviews {where} ORDER BY reviewed_at, id", args)

    @database_errors
    def seen_question_ids(self) -> set[str]:
        """Every question id answered at least once."""
        return {question_id for (question_id,) in self._db.execute("SELECT DISTINCT question_id FROM reviews")}

    @database_errors
    def content_changes(self) -> list[dict[str, Any]]:
        """Every noted change of a question's content, oldest first."""
        return self.database.rows("SELECT card_id, changed_at, old_hash, new_hash FROM content_changes ORDER BY id")

    @database_errors
    def topic_activity(self, since: datetime) -> dict[str, dict[str, Any]]:
        """Per topic: the question ids ever answered, and graded/correct answers since `since`."""
        topics: dict[str, dict[str, Any]] = {}
        for topic, question_id in self._db.execute("SELECT DISTINCT topic, question_id FROM reviews"):
            topics.setdefault(topic, {"seen": set(), "graded": 0, "correct": 0})["seen"].add(question_id)
        for topic, graded, correct in self._db.execute(
                "SELECT topic, count(correct), coalesce(sum(correct), 0) FROM reviews WHERE reviewed_at >= ?"
                " GROUP BY topic", (iso(since),)):
            entry = topics.setdefault(topic, {"seen": set(), "graded": 0, "correct": 0})
            entry["graded"], entry["correct"] = graded, correct
        return topics

    @database_errors
    def topic_schedule(self, now: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Per topic: cards due now, and the next due time after now (None if none)."""
        stamp = iso(now or now_utc())
        result: dict[str, dict[str, Any]] = {}
        for topic, due_now, next_due in self._db.execute(
                "SELECT topic, sum(due <= ?), min(CASE WHEN due > ? THEN due END) FROM cards GROUP BY topic",
                (stamp, stamp)):
            result[topic] = {"due_now": due_now, "next_due": parse_time(next_due) if next_due else None}
        return result

    @database_errors
    def activity_times(self, since: datetime) -> list[datetime]:
        """When something was done since `since`: every review and check attempt (for the activity line)."""
        stamp = iso(since)
        rows = self._db.execute("SELECT reviewed_at FROM reviews WHERE reviewed_at >= ? UNION ALL "
                                "SELECT attempted_at FROM check_attempts WHERE attempted_at >= ?", (stamp, stamp))
        return [parse_time(at) for (at,) in rows]
