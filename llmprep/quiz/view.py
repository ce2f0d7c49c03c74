"""How a question and a session look on the console: the card, the feedback, the end-of-session summary.

Every data string (prompts, choices, answers, ids) is escaped for rich, so `[…]` in a
question stays on screen; the bank's hard-wrapped lines are reflowed into paragraphs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from llmprep.quiz.citations import describe_source
from llmprep.quiz.messages import words

if TYPE_CHECKING:
    from llmprep.quiz.bank import Bank
    from llmprep.quiz.results import AnswerResult, PresentedQuestion, SessionResult
    from llmprep.quiz.schema import Grade, Question

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


def format_seconds(seconds: float, lang: str = "en") -> str:
    """3725.2 -> '1h 2m 5s' ('1 小时 2 分 5 秒' in zh)."""
    say = words(lang)
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return " ".join(part for part in (say["hours"].format(n=hours) if hours else "",
                                      say["minutes"].format(n=minutes) if hours or minutes else "",
                                      say["seconds"].format(n=secs)) if part)


def heading(question: Question, lang: str, prefix: str = "") -> str:
    """'attention-why-sqrt-dk · attention · medium · choice', the level and type in `lang`."""
    say = words(lang)
    return " · ".join(part for part in (prefix, question.topic, say[question.difficulty], say[question.type]) if part)


def question_card(question: Question, lang: str, bank: Bank, *, choice_order: list[int] | None = None,
                  title: str | None = None, reveal: bool = False):
    """A rich panel with the question; with `reveal`, also its answer, explanation and sources."""
    from rich.console import Group
    from rich.panel import Panel

    lines = [escape(reflow(question.prompt.get(lang))), *question.body_lines(lang, choice_order, reveal)]
    parts: list[Any] = ["\n".join(lines)]
    if reveal:
        parts.append(reveal_answer(question, lang, bank, choice_order))
    return Panel(Group(*parts), title=escape(title or heading(question, lang, question.id)), title_align="left")


def reveal_answer(question: Question, lang: str, bank: Bank, choice_order: list[int] | None, *,
                  show_answer: bool = True):
    """The answer (unless already shown), the explanation, the sources and the source's error."""
    from rich.console import Group
    from rich.panel import Panel

    say = words(lang)
    lines = [""]
    if show_answer:
        label = say["model"] if question.self_graded else say["answer"]
        lines.append(f"[bold]{label}:[/bold] {escape(reflow(question.answer_words(choice_order, lang)))}")
    lines.append(f"[bold]{say['why']}:[/bold] {escape(reflow(question.explanation.get(lang)))}")
    for source in question.sources:
        lines.append(f"[bold]{say['source']}:[/bold] {escape(describe_source(source, bank, lang))}")
    parts: list[Any] = ["\n".join(lines)]
    if question.source_error is not None:
        parts.append(Panel(escape(reflow(question.source_error.get(lang))), title=say["source_error"],
                           title_align="left", border_style="yellow"))
    return Group(*parts)


class ConsoleView:
    """Shows a session on the console: a panel per question, feedback, and the summary at the end."""

    def __init__(self, console, bank: Bank, lang: str):
        self.console = console
        self.bank = bank
        self.lang = lang
        self.words = words(lang)

    def question(self, presented: PresentedQuestion) -> None:
        """Show the question (its choices in the session's order)."""
        head = heading(presented.question, self.lang,
                       self.words["question"].format(position=presented.position, total=presented.total))
        self.console.print(question_card(presented.question, self.lang, self.bank,
                                         choice_order=presented.choice_order, title=head))

    def echo(self, text: str) -> None:
        """Show the answer read from a pipe, so a transcript reads like a session."""
        self.console.print(f"> {escape(text)}", soft_wrap=True)

    def retry(self, message: str) -> None:
        """Say why that was not an answer (the question is asked again)."""
        self.console.print(f"[yellow]{escape(message)}[/yellow]")

    def model_answer(self, presented: PresentedQuestion, grade: Grade) -> None:
        """Show the model answer, its key points and the keyword hint, so the person can rate their answer."""
        q = presented.question
        say = self.words
        self.console.print(f"[bold]{say['model']}:[/bold] {escape(reflow(q.answer_text(None, self.lang)))}")
        points = q.key_points(self.lang)
        if points:
            self.console.print(f"[bold]{say['key_points']}:[/bold] " + " · ".join(escape(p) for p in points))
        if grade.note:
            self.console.print(f"[dim]{say['hint']}: {escape(grade.note)}[/dim]")

    def feedback(self, presented: PresentedQuestion, result: AnswerResult) -> None:
        """Right or wrong with what teaches (missed, extra, how close), the answer, explanation and sources."""
        say = self.words
        verdict = {True: f"[green]{say['right']}[/green]", False: f"[red]{say['wrong']}[/red]",
                   None: f"[yellow]{say['ungraded']}[/yellow]"}[result.correct]
        if result.self_graded and result.rating is not None:
            verdict += f"  [dim]({say['rated'].format(rating=result.rating)})[/dim]"
        elif result.note:
            verdict += f"  [dim]({escape(result.note)})[/dim]"
        self.console.print(verdict)
        # A self-graded question's model answer was shown before its rating.
        self.console.print(reveal_answer(presented.question, self.lang, self.bank, presented.choice_order,
                                         show_answer=not presented.question.self_graded))
        self.console.print()

    def stopped(self, answered: int, total: int) -> None:
        """Say that the session ended before the last question."""
        self.console.print()  # after a Ctrl-C the cursor is still on the prompt's line
        self.console.note(self.words["stopped"].format(answered=answered, total=total))

    def summary(self, result: SessionResult, outlook: dict[str, Any] | None = None) -> None:
        """The score per topic, the time taken, what is due next and the streak."""
        from rich.table import Table

        say = self.words
        self.console.print(say["seed_title"].format(score=say["score"], seed=result.seed))
        table = Table()
        table.add_column(say["topic"], no_wrap=True)
        for name in (say["answered"], say["right"], say["wrong"], say["ungraded"], say["score"]):
            table.add_column(name, justify="right")
        totals = result.totals()
        for topic, tally in totals["by_topic"].items():
            table.add_row(escape(topic), *_tally_cells(tally))
        table.add_row(f"[bold]{say['total']}[/bold]", *_tally_cells(totals), end_section=True)
        self.console.print(table)
        self.console.print(f"{say['time']}: {format_seconds(result.seconds, self.lang)}")
        for line in outlook_lines(outlook, self.lang) if outlook else []:
            self.console.print(line)


def outlook_lines(outlook: dict[str, Any], lang: str) -> list[str]:
    """'3 review(s) due now', 'next review in 2h 5m (…)', 'streak: 4 day(s) in a row'."""
    say = words(lang)
    lines = []
    if outlook["due_now"]:
        lines.append(say["due_now"].format(count=outlook["due_now"]))
    if outlook["next_due_text"]:
        lines.append(say["next_due"].format(when=outlook["next_due_text"]))
    elif not outlook["due_now"]:
        lines.append(say["nothing_due"])
    if outlook["due_within_day"]:
        lines.append(say["due_today"].format(count=outlook["due_within_day"]))
    if outlook["streak_days"]:
        lines.append(say["streak"].format(days=outlook["streak_days"]))
    return lines


def _tally_cells(tally: dict[str, Any]) -> list[str]:
    score = "-" if tally["score"] is None else f"{tally['score']:.0%}"
    return [str(tally["answered"]), str(tally["correct"]), str(tally["wrong"]), str(tally["ungraded"]), score]
