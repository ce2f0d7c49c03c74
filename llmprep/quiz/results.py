"""What a session produces: each answered question and the session's totals (the JSON of `llmprep quiz`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from llmprep.quiz.schema import Question


@dataclass
class PresentedQuestion:
    """A question as one session shows it: its place in the session and its choice order."""

    question: Question
    position: int  # 1-based
    total: int
    choice_order: list[int] | None = None


@dataclass
class AnswerResult:
    """One answered question: what the scheduler and the JSON report need.

    `correct` is None when the answer was not graded (a short answer nobody rated). `given`
    is the line as typed. `rating` is the FSRS rating given by the person (1 again .. 4
    easy), else None (then right counts as good, wrong as again). `note` teaches: what was
    missed, how close, how many key points were mentioned.
    """

    question_id: str
    topic: str
    type: str
    given: str
    correct: bool | None
    family: str | None
    params: dict[str, Any] | None
    answered_at: datetime
    difficulty: str = ""
    correct_answer: str = ""  # what to type to be right, in this session's choice order
    answer: Any = None  # the answer in the bank's terms
    choice_order: list[int] | None = None
    note: str | None = None
    seconds: float = 0.0  # from showing the question to the answer
    rating: int | None = None
    self_graded: bool = False

    def to_json(self) -> dict[str, Any]:
        """The question's entry in `llmprep quiz --json`."""
        data = {"id": self.question_id, **asdict(self)}
        del data["question_id"]
        data["answered_at"] = self.answered_at.isoformat(timespec="seconds")
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass
class SessionResult:
    """What a session produced: the answered questions (all of them, or those before EOF/Ctrl-C)."""

    seed: int
    lang: str
    planned: list[str]
    results: list[AnswerResult]
    seconds: float
    finished: bool

    def totals(self) -> dict[str, Any]:
        """Counts overall and per topic; `score` is right / graded (None when nothing was graded)."""
        return {**_tally(self.results), "planned": len(self.planned), "seconds": round(self.seconds, 3),
                "by_topic": {topic: _tally([r for r in self.results if r.topic == topic])
                             for topic in dict.fromkeys(r.topic for r in self.results)}}

    def to_json(self) -> dict[str, Any]:
        """The one document `llmprep quiz --json` prints."""
        answered = {r.question_id for r in self.results}
        return {"seed": self.seed, "lang": self.lang, "finished": self.finished,
                "questions": [r.to_json() for r in self.results],
                "unanswered": [qid for qid in self.planned if qid not in answered], "totals": self.totals()}


def _tally(results: Sequence[AnswerResult]) -> dict[str, Any]:
    right = sum(r.correct is True for r in results)
    wrong = sum(r.correct is False for r in results)
    return {"answered": len(results), "correct": right, "wrong": wrong,
            "ungraded": len(results) - right - wrong,
            "score": round(right / (right + wrong), 4) if right + wrong else None}
