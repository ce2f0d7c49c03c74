"""A quiz session: asking questions over an answer source, self-grading, ratings, and the result.

Spaced repetition (schedule.py) plugs in at two seams:
- the questions are chosen before the session starts (planning.py, or the schedule), and
  `run_session` asks whatever list it is given;
- `run_session(..., on_answer=...)` hands every `AnswerResult` over as soon as it is final,
  so the store commits answers one by one and a crash loses nothing.

Ratings are FSRS's: 1 again, 2 hard, 3 good, 4 easy. A short answer is rated by the person
(piped, the line after the answer is its rating; without one it is not graded). An
auto-graded answer gets good when right and again when wrong; at a terminal a right answer
may be rated hard or easy instead.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Protocol

from llmprep.quiz.messages import words
from llmprep.quiz.planning import (  # re-exported: callers import them from here
    DEFAULT_COUNT,
    choice_order_for,
    filter_questions,
    new_seed,
    plan_session,
    seeded_selection,
)
from llmprep.quiz.results import AnswerResult, PresentedQuestion, SessionResult
from llmprep.quiz.schema import AnswerParseError, Grade, Question

__all__ = ["DEFAULT_COUNT", "AnswerResult", "LineAnswers", "SessionResult", "TerminalAnswers", "choice_order_for",
           "filter_questions", "new_seed", "parse_rating", "plan_session", "run_session",
           "seeded_selection"]

OnAnswer = Callable[["AnswerResult"], None]
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
MAX_LINE = 64 * 1024  # an answer longer than this is not an answer


class UnreadableAnswer(ValueError):
    """The line could not be read as text (not UTF-8, or too long); the message says which."""


_RATING_WORDS = {
    AGAIN: ("1", "a", "again", "n", "no", "重来", "忘了", "错", "否"),
    HARD: ("2", "h", "hard", "难", "困难"),
    GOOD: ("3", "g", "good", "y", "yes", "好", "良好", "对", "是"),
    EASY: ("4", "e", "easy", "简单", "容易"),
}


def parse_rating(reply: str) -> int | None:
    """A rating typed as 1-4, again/hard/good/easy, a/h/g/e (or y/n for good/again); None if not one."""
    reply = reply.strip().lower()
    for rating, names in _RATING_WORDS.items():
        if reply in names:
            return rating
    return None


class AnswerSource(Protocol):
    """Where answers come from: a person at a terminal, or lines of a pipe."""

    interactive: bool

    def read(self, prompt: str) -> str:
        """The next answer; EOFError when there is none, UnreadableAnswer when it is not text."""

    def rate(self, prompt: str, default: int | None = None) -> int | None:
        """A rating 1-4, `default` on an empty reply; None when there is none (a pipe without one)."""


class LineAnswers:
    """Answers from a stream, one per line (stdin when it is not a terminal).

    Lines are read as bytes and decoded here, so an undecodable line is one unreadable
    answer, not a crash. A rating that is not there is put back: that line is the next answer.
    """

    interactive = False

    def __init__(self, stream=None):
        stream = stream if stream is not None else sys.stdin
        self.stream = getattr(stream, "buffer", stream)
        self.pushed: list[str] = []

    def _line(self) -> str:
        if self.pushed:
            return self.pushed.pop()
        line = self.stream.readline(MAX_LINE + 1)
        if not line:
            raise EOFError
        if len(line) > MAX_LINE and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
            while (rest := self.stream.readline(MAX_LINE)) and not rest.endswith(
                    b"\n" if isinstance(rest, bytes) else "\n"):
                pass
            raise UnreadableAnswer("too_long")
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise UnreadableAnswer("undecodable") from None
        return line.rstrip("\r\n")

    def read(self, prompt: str) -> str:
        """The next line without its newline."""
        return self._line()

    def rate(self, prompt: str, default: int | None = None) -> int | None:
        """The next line when it is a rating; otherwise the line is put back and there is no rating."""
        if default is not None:
            return default  # an auto-graded answer takes no rating line in a pipe
        try:
            line = self._line()
        except (EOFError, UnreadableAnswer):
            return None
        rating = parse_rating(line)
        if rating is None and line.strip():
            self.pushed.append(line)
        return rating


class TerminalAnswers:
    """Answers typed by a person at the terminal (line editing through `input`)."""

    interactive = True

    def __init__(self, console):
        self.console = console

    def read(self, prompt: str) -> str:
        """Ask and read one line."""
        try:
            text = self.console.out.input(f"[bold]{prompt}[/bold] ")
        except UnicodeDecodeError:
            raise UnreadableAnswer("undecodable") from None
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # surrogate-escaped bytes: not text
            raise UnreadableAnswer("undecodable")
        return text

    def rate(self, prompt: str, default: int | None = None) -> int | None:
        """Ask until the reply is a rating (Enter gives `default` when there is one)."""
        while True:
            try:
                reply = self.read(prompt).strip()
            except UnreadableAnswer:
                continue
            if not reply and default is not None:
                return default
            rating = parse_rating(reply)
            if rating is not None:
                return rating


class SessionView(Protocol):
    """What the session shows a person; view.ConsoleView is the terminal one."""

    def question(self, presented: PresentedQuestion) -> None: ...
    def echo(self, text: str) -> None: ...
    def retry(self, message: str) -> None: ...
    def model_answer(self, presented: PresentedQuestion, grade: Grade) -> None: ...
    def feedback(self, presented: PresentedQuestion, result: AnswerResult) -> None: ...
    def stopped(self, answered: int, total: int) -> None: ...


def run_session(questions: Sequence[Question], *, seed: int, lang: str, answers: AnswerSource, view: SessionView,
                on_answer: OnAnswer | None = None, clock: Callable[[], float] = time.monotonic) -> SessionResult:
    """Ask the questions in order; EOF or Ctrl-C ends the session with what was answered so far."""
    started = clock()
    results: list[AnswerResult] = []
    finished = False
    try:
        for position, question in enumerate(questions, 1):
            presented = PresentedQuestion(question, position, len(questions), choice_order_for(question, seed))
            view.question(presented)
            shown_at = clock()
            given, grade = _ask(presented, answers, view, lang)
            result = AnswerResult(
                question_id=question.id, topic=question.topic, type=question.type, given=given,
                correct=grade.correct, family=question.family, params=question.params,
                answered_at=datetime.now(timezone.utc), difficulty=question.difficulty,
                correct_answer=question.answer_text(presented.choice_order, lang),
                answer=question.answer_json(), choice_order=presented.choice_order, note=grade.note,
                seconds=clock() - shown_at,
            )
            try:
                _rate(result, presented, answers, view, lang, on_answer)
            finally:  # EOF or Ctrl-C at a rating prompt: the answer was recorded, so it is reported too
                results.append(result)
        finished = True
    except (EOFError, KeyboardInterrupt):
        view.stopped(len(results), len(questions))
    return SessionResult(seed=seed, lang=lang, planned=[q.id for q in questions], results=results,
                         seconds=clock() - started, finished=finished)


def _ask(presented: PresentedQuestion, answers: AnswerSource, view: SessionView, lang: str) -> tuple[str, Grade]:
    """Read until the line is an answer (at a terminal) or grade what came (piped: not an answer is wrong)."""
    say = words(lang)
    question = presented.question
    while True:
        try:
            given = answers.read(say[f"prompt_{question.type}"]).strip()
            if not answers.interactive:
                view.echo(given)
            return given, question.grade(given, presented.choice_order, lang)
        except UnreadableAnswer as error:
            given, reason = "", say[str(error)]
        except AnswerParseError as error:
            reason = str(error)
        if answers.interactive:
            view.retry(reason)
            continue
        if not given:
            view.echo("")
        return given, Grade(False, None, say["counted_wrong"].format(reason=reason))


def _rate(result: AnswerResult, presented: PresentedQuestion, answers: AnswerSource, view: SessionView,
          lang: str, on_answer: OnAnswer | None) -> None:
    """Take the rating (the verdict of a short answer), show the feedback, and hand the result on."""
    say = words(lang)
    if result.correct is None:  # a short answer: the person grades it against the model answer
        view.model_answer(presented, Grade(None, result.given, result.note))
        try:
            result.rating = answers.rate(say["rate_self"])
        except (EOFError, KeyboardInterrupt):
            result.rating = None
            _final(result, on_answer)
            raise
        if result.rating is not None and not answers.interactive:
            view.echo(str(result.rating))  # the rating line read from the pipe, for the transcript
        result.self_graded = result.rating is not None
        result.correct = None if result.rating is None else result.rating != AGAIN
        if result.rating is None:
            result.note = "; ".join(filter(None, (result.note, say["not_rated"])))
        _final(result, on_answer)
        view.feedback(presented, result)
        return
    view.feedback(presented, result)
    if result.correct and answers.interactive:
        try:
            rating = answers.rate(say["rate_after"].format(default=say["prompt_good"]), default=GOOD)
        except (EOFError, KeyboardInterrupt):
            _final(result, on_answer)
            raise
        result.rating = rating if rating != GOOD else None
    _final(result, on_answer)


def _final(result: AnswerResult, on_answer: OnAnswer | None) -> None:
    if on_answer is not None:
        on_answer(result)
