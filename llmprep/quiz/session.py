"""A quiz session: choosing the questions, asking them over an answer source, and the result.

Spaced repetition (llmprep/quiz/schedule.py, llmprep/store.py) plugs in at two seams:
- the questions are chosen before the session starts (`plan_session`, or the schedule's
  due-first pick), and `run_session` asks whatever list it is given;
- `run_session(..., on_answer=...)` hands every `AnswerResult` over the moment it is
  answered, so the store commits answers one by one and a crash loses nothing.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from llmprep.errors import UserError
from llmprep.quiz.answers import (
    AnswerParseError,
    Grade,
    choice_label,
    correct_answer_text,
    format_number,
    grade_answer,
)
from llmprep.quiz.bank import CHOICE_TYPES, Bank, Question, SourceDocument, check_topics

DEFAULT_COUNT = 10
# A selector picks n of the candidates; the seed makes the pick reproducible.
Selector = Callable[[Sequence[Question], int, int], list[Question]]
OnAnswer = Callable[["AnswerResult"], None]

# FSRS ratings (the values of fsrs.Rating), offered when a person grades their own answer.
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


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
            known = ", ".join(sorted(families)) or "(none installed)"
            raise UserError(f"unknown generator family {name!r}", where="--generated",
                            fix=f"choose one of: all, {known} (see `llmprep quiz --list-generators`)")
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
    families = resolve_families(generated, topics) if generated else []
    if generated and not families and not topics:
        raise UserError("no generator families are installed", where="--generated",
                        fix="leave out --generated to quiz from the bank")
    if generated and not families:
        notes.append(f"no generator family covers {', '.join(topics)}; using bank questions only")
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
                raise UserError("the question bank is empty", where="llmprep quiz",
                                fix="try generated questions: `llmprep quiz --generated all`")
            if not candidates:
                raise UserError("no question matches " + _describe_filters(topics, difficulties, types),
                                where="llmprep quiz",
                                fix="drop a filter, or see what there is with `llmprep questions`")
            notes.append(f"only {len(candidates)} question(s) match; asking all {len(candidates)}")
        else:
            notes.append(f"only {len(candidates)} bank question(s) match; generated questions fill the rest")
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
    if question.type not in CHOICE_TYPES:
        return None
    order = list(range(len(question.choices or [])))
    random.Random(f"{seed}:{question.id}").shuffle(order)
    return order


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

    `correct` is None when the answer could not be graded (a short answer without keyword
    groups, with nobody at a terminal to grade it). `given` is the line as typed. `rating`
    is the FSRS rating a person gave their own answer (1 again .. 4 easy), else None.
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
        return {
            "seed": self.seed,
            "lang": self.lang,
            "finished": self.finished,
            "questions": [r.to_json() for r in self.results],
            "unanswered": [qid for qid in self.planned if qid not in answered],
            "totals": self.totals(),
        }


def _tally(results: Sequence[AnswerResult]) -> dict[str, Any]:
    right = sum(r.correct is True for r in results)
    wrong = sum(r.correct is False for r in results)
    return {"answered": len(results), "correct": right, "wrong": wrong,
            "ungraded": len(results) - right - wrong,
            "score": round(right / (right + wrong), 4) if right + wrong else None}


class AnswerSource(Protocol):
    """Where answers come from: a person at a terminal, or lines of a pipe."""

    interactive: bool

    def read(self, prompt: str) -> str:
        """The next answer; raises EOFError when there is none."""

    def rate(self, prompt: str) -> int:
        """A rating from the person grading their own answer, AGAIN..EASY; only asked when interactive."""


class LineAnswers:
    """Answers from a stream, one per line (stdin when it is not a terminal)."""

    interactive = False

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stdin

    def read(self, prompt: str) -> str:
        """The next line without its newline; EOFError at the end."""
        line = self.stream.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def rate(self, prompt: str) -> int:
        """Never asked in a pipe: there is nobody to answer."""
        raise EOFError


class TerminalAnswers:
    """Answers typed by a person at the terminal (line editing through `input`)."""

    interactive = True

    def __init__(self, console):
        self.console = console

    def read(self, prompt: str) -> str:
        """Ask and read one line."""
        return self.console.out.input(f"[bold]{prompt}[/bold] ")

    def rate(self, prompt: str) -> int:
        """Ask until the reply is a rating: 1-4, again/hard/good/easy (or their first letter); y/n for good/again."""
        while True:
            reply = self.console.out.input(f"[bold]{prompt}[/bold] ").strip().lower()
            rating = parse_rating(reply)
            if rating is not None:
                return rating


_RATING_WORDS = {
    AGAIN: ("1", "a", "again", "n", "no", "重来", "忘了", "错", "否"),
    HARD: ("2", "h", "hard", "难", "困难"),
    GOOD: ("3", "g", "good", "y", "yes", "好", "对", "是"),
    EASY: ("4", "e", "easy", "简单", "容易"),
}


def parse_rating(reply: str) -> int | None:
    """A self-grade typed as 1-4, again/hard/good/easy, a/h/g/e (or y/n for good/again); None if not one."""
    reply = reply.strip().lower()
    for rating, words in _RATING_WORDS.items():
        if reply in words:
            return rating
    return None


class SessionView(Protocol):
    """What the session shows a person; `ConsoleView` is the terminal one."""

    def question(self, presented: PresentedQuestion) -> None: ...
    def echo(self, text: str) -> None: ...
    def retry(self, message: str) -> None: ...
    def model_answer(self, presented: PresentedQuestion) -> None: ...
    def feedback(self, presented: PresentedQuestion, result: AnswerResult) -> None: ...
    def stopped(self, answered: int, total: int) -> None: ...


def run_session(
    questions: Sequence[Question],
    *,
    seed: int,
    lang: str,
    answers: AnswerSource,
    view: SessionView,
    on_answer: OnAnswer | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> SessionResult:
    """Ask the questions in order; EOF or Ctrl-C ends the session with what was answered so far."""
    started = clock()
    results: list[AnswerResult] = []
    finished = False
    try:
        for position, question in enumerate(questions, 1):
            presented = PresentedQuestion(question, position, len(questions), choice_order_for(question, seed))
            view.question(presented)
            shown_at = clock()
            given, grade, rating = _ask(presented, answers, view, lang)
            result = AnswerResult(
                question_id=question.id, topic=question.topic, type=question.type, given=given,
                correct=grade.correct, family=question.family, params=question.params,
                answered_at=datetime.now(timezone.utc), difficulty=question.difficulty,
                correct_answer=correct_answer_text(question, presented.choice_order, lang),
                answer=question.answer_json(), choice_order=presented.choice_order, note=grade.note,
                seconds=clock() - shown_at, rating=rating,
            )
            results.append(result)
            if on_answer is not None:
                on_answer(result)
            view.feedback(presented, result)
        finished = True
    except (EOFError, KeyboardInterrupt):
        view.stopped(len(results), len(questions))
    return SessionResult(seed=seed, lang=lang, planned=[q.id for q in questions], results=results,
                         seconds=clock() - started, finished=finished)


_PROMPTS = {
    "choice": {"en": "answer (letter or number):", "zh": "你的答案（字母或序号）："},
    "multi": {"en": "answers (all that apply, e.g. a,c):", "zh": "你的答案（全部正确项，如 a,c）："},
    "order": {"en": "order (e.g. c a b d):", "zh": "顺序（如 c a b d）："},
    "numeric": {"en": "number:", "zh": "数值："},
    "short": {"en": "your answer:", "zh": "你的回答："},
}


_RATE_PROMPT = {
    "en": "how did it go? 1 again · 2 hard · 3 good · 4 easy:",
    "zh": "答得如何？1 重来 · 2 困难 · 3 良好 · 4 简单：",
}


def _ask(presented: PresentedQuestion, answers: AnswerSource, view: SessionView,
         lang: str) -> tuple[str, Grade, int | None]:
    question = presented.question
    while True:
        given = answers.read(_PROMPTS[question.type][lang]).strip()
        if not answers.interactive:
            view.echo(given)
        try:
            grade = grade_answer(question, given, presented.choice_order)
        except AnswerParseError as error:
            if answers.interactive:
                view.retry(str(error))
                continue
            return given, Grade(False, None, f"not an answer ({error}); counted as wrong"), None
        break
    if grade.correct is None:
        if answers.interactive:
            view.model_answer(presented)
            rating = answers.rate(_RATE_PROMPT[lang])
            return given, Grade(rating != AGAIN, grade.parsed, "self-graded"), rating
        return given, Grade(None, grade.parsed, "no keywords to grade this question by, and nobody at a "
                                                "terminal to judge it: compare with the model answer"), None
    return given, grade, None


_WORDS = {
    "en": {"question": "Question", "right": "✓ right", "wrong": "✗ wrong", "ungraded": "– not graded",
           "answer": "Answer", "model": "Model answer", "why": "Explanation", "source": "Source",
           "source_error": "Where the source is wrong", "did_you": "Did you get it right?",
           "stopped": "session ended early: {answered} of {total} answered", "topic": "topic",
           "answered": "answered", "score": "score", "total": "total", "time": "time",
           "unit": "unit", "fraction": "a fraction: 0.25 or 25% both work", "note": "note"},
    "zh": {"question": "第", "right": "✓ 正确", "wrong": "✗ 错误", "ungraded": "– 未评分",
           "answer": "答案", "model": "参考答案", "why": "解析", "source": "出处",
           "source_error": "原文的错误", "did_you": "你答对了吗？",
           "stopped": "提前结束：已答 {answered} / {total} 题", "topic": "主题",
           "answered": "已答", "score": "得分", "total": "合计", "time": "用时",
           "unit": "单位", "fraction": "比例：0.25 或 25% 均可", "note": "说明"},
}


_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d+[.)、]|\(\w\)|[a-z]\))\s")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def reflow(text: str) -> str:
    """Join the bank's hard-wrapped lines into paragraphs so the terminal wraps them cleanly.

    Blank lines, list items, indented lines and lines after a colon keep their break; Chinese
    lines join without a space.
    """
    out: list[str] = []
    for line in text.split("\n"):
        previous = out[-1] if out else ""
        joinable = (previous.strip() and line.strip() and not _LIST_ITEM.match(line)
                    and not line.startswith((" ", "\t")) and not previous.startswith((" ", "\t"))
                    and not previous.rstrip().endswith((":", "：")))
        if joinable:
            cjk = _CJK.match(line.lstrip()[:1] or " ") and _CJK.match(previous.rstrip()[-1:] or " ")
            out[-1] = previous.rstrip() + ("" if cjk else " ") + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def describe_source(source, documents: dict[str, SourceDocument], lang: str) -> str:
    """A source in words: the document's title and lines, or the paper reference."""
    if source.doc is None:
        return source.ref
    document = documents.get(source.doc)
    title = document.title.get(lang) if document else source.doc
    first, last = source.lines
    span = f"{first}" if first == last else f"{first}–{last}"
    lines = f"第 {span} 行" if lang == "zh" else (f"line {span}" if first == last else f"lines {span}")
    return f"{title} ({source.doc}), {lines}"


def format_seconds(seconds: float) -> str:
    """3725.2 -> '1h 2m 5s'."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return " ".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if hours or minutes else "",
                                      f"{secs}s") if part)


def question_card(question: Question, lang: str, documents: dict[str, SourceDocument], *,
                  choice_order: list[int] | None = None, title: str | None = None, reveal: bool = False):
    """A rich panel with the question; with `reveal`, also its answer, explanation and sources."""
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel

    words = _WORDS[lang]
    lines = [escape(reflow(question.prompt.get(lang)))]
    if question.choices:
        order = choice_order or list(range(len(question.choices)))
        lines.append("")
        for position, index in enumerate(order):
            mark = ""
            if reveal and question.type == "choice":
                mark = " [green]✓[/green]" if index == question.answer else ""
            elif reveal and question.type == "multi":
                mark = " [green]✓[/green]" if index in question.answer else ""
            lines.append(f"  [bold]{choice_label(position)})[/bold] {escape(question.choices[index].get(lang))}{mark}")
    if question.type == "numeric":
        hints = [f"{words['unit']}: {escape(question.unit.get(lang))}"] if question.unit else []
        hints += [words["fraction"]] if question.fraction else []
        if hints:
            lines += ["", "[dim]" + "; ".join(hints) + "[/dim]"]
    parts: list[Any] = ["\n".join(lines)]
    if reveal:
        parts.append(_reveal(question, lang, documents, choice_order))
    heading = title or f"{question.id} · {question.topic} · {question.difficulty} · {question.type}"
    return Panel(Group(*parts), title=escape(heading), title_align="left")


def _reveal(question: Question, lang: str, documents: dict[str, SourceDocument],
            choice_order: list[int] | None, *, show_answer: bool = True):
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel

    words = _WORDS[lang]
    lines = [""]
    if show_answer:
        label = words["model"] if question.type == "short" else words["answer"]
        lines.append(f"[bold]{label}:[/bold] {escape(_answer_in_words(question, choice_order, lang))}")
    lines.append(f"[bold]{words['why']}:[/bold] {escape(reflow(question.explanation.get(lang)))}")
    for source in question.sources:
        lines.append(f"[bold]{words['source']}:[/bold] {escape(describe_source(source, documents, lang))}")
    parts: list[Any] = ["\n".join(lines)]
    if question.source_error is not None:
        parts.append(Panel(escape(reflow(question.source_error.get(lang))), title=words["source_error"],
                           title_align="left", border_style="yellow"))
    return Group(*parts)


def _answer_in_words(question: Question, choice_order: list[int] | None, lang: str) -> str:
    typed = correct_answer_text(question, choice_order, lang)
    if question.type == "choice":
        return f"{typed}) {question.choices[question.answer].get(lang)}"
    if question.type in ("multi", "order"):
        indices = list(question.answer)
        if question.type == "multi":  # listed the way the choices were shown
            order = choice_order or list(range(len(question.choices)))
            indices.sort(key=order.index)
        texts = [question.choices[i].get(lang) for i in indices]
        separator = "; " if question.type == "multi" else " → "
        return f"{typed}  ({separator.join(texts)})"
    if question.type == "numeric" and question.fraction:
        return f"{typed} ({format_number(round(float(question.answer) * 100, 4))}%)"
    return typed


class ConsoleView:
    """Shows a session on the console: a panel per question, feedback, and the score at the end."""

    def __init__(self, console, documents: dict[str, SourceDocument], lang: str):
        self.console = console
        self.documents = documents
        self.lang = lang
        self.words = _WORDS[lang]

    def question(self, presented: PresentedQuestion) -> None:
        """Show the question (its choices in the session's order)."""
        q = presented.question
        if self.lang == "zh":
            head = f"第 {presented.position}/{presented.total} 题 · {q.topic} · {q.difficulty} · {q.type}"
        else:
            head = f"{self.words['question']} {presented.position}/{presented.total} · {q.topic} · {q.difficulty} · {q.type}"
        self.console.print(question_card(q, self.lang, self.documents, choice_order=presented.choice_order,
                                         title=head))

    def echo(self, text: str) -> None:
        """Show the answer read from a pipe, so a transcript reads like a session."""
        from rich.markup import escape

        self.console.print(f"> {escape(text)}")

    def retry(self, message: str) -> None:
        """Say why that was not an answer (the question is asked again)."""
        from rich.markup import escape

        self.console.print(f"[yellow]{escape(message)}[/yellow]")

    def model_answer(self, presented: PresentedQuestion) -> None:
        """Show the model answer so the person can grade themselves."""
        from rich.markup import escape

        q = presented.question
        self.console.print(f"[bold]{self.words['model']}:[/bold] {escape(reflow(q.answer.get(self.lang)))}")
        self.console.print(self.words["did_you"])

    def feedback(self, presented: PresentedQuestion, result: AnswerResult) -> None:
        """Right or wrong, the correct answer, the explanation, the sources and the source's error."""
        from rich.markup import escape

        verdict = {True: f"[green]{self.words['right']}[/green]", False: f"[red]{self.words['wrong']}[/red]",
                   None: f"[yellow]{self.words['ungraded']}[/yellow]"}[result.correct]
        self.console.print(verdict + (f"  [dim]({escape(result.note)})[/dim]" if result.note else ""))
        # The model answer of a self-graded question was shown just before the y/n.
        shown = result.note == "self-graded"
        self.console.print(_reveal(presented.question, self.lang, self.documents, presented.choice_order,
                                   show_answer=not shown))
        self.console.print()

    def stopped(self, answered: int, total: int) -> None:
        """Say that the session ended before the last question."""
        self.console.print()  # after a Ctrl-C the cursor is still on the prompt's line
        self.console.note(self.words["stopped"].format(answered=answered, total=total))

    def summary(self, result: SessionResult) -> None:
        """The score per topic and the time taken."""
        from rich.table import Table

        words = self.words
        table = Table(title=f"{words['score']} (seed {result.seed})", title_justify="left")
        for name in (words["topic"], words["answered"], words["right"], words["wrong"], words["ungraded"],
                     words["score"]):
            table.add_column(name, justify="left" if name == words["topic"] else "right")
        totals = result.totals()
        for topic, tally in totals["by_topic"].items():
            table.add_row(topic, *_tally_cells(tally))
        table.add_row(f"[bold]{words['total']}[/bold]", *_tally_cells(totals), end_section=True)
        self.console.print(table)
        self.console.print(f"{words['time']}: {format_seconds(result.seconds)}")


def _tally_cells(tally: dict[str, Any]) -> list[str]:
    score = "-" if tally["score"] is None else f"{tally['score']:.0%}"
    return [str(tally["answered"]), str(tally["correct"]), str(tally["wrong"]), str(tally["ungraded"]), score]
