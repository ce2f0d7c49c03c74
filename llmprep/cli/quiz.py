"""`llmprep quiz`: drill questions from the bank and from generated families."""

from __future__ import annotations

import sys

import click

from llmprep.console import get_console, json_option
from llmprep.quiz import DIFFICULTIES, LANGUAGES, QUESTION_TYPES

DEFAULT_NEW = 10

HELP = """Drill interview questions, one at a time, with the answer, explanation and source after each.

\b
  llmprep quiz                                  due reviews first, then new questions
  llmprep quiz --due                            only the reviews that are due
  llmprep quiz --topic attention -n 5 --lang zh
  llmprep quiz --type numeric --difficulty hard --seed 7
  llmprep quiz --generated all -n 5             5 freshly generated questions
  llmprep quiz --id attention-why-sqrt-dk      one question (a bank id or gen:FAMILY:SEED)
  printf '8\\n' | llmprep quiz --id attention-dot-product-std --json

\b
Answering:
  choice   a letter or its number: b or 2
  multi    every correct one: a,c or 1 3 or ac
  order    the choices in order: c a b d
  numeric  0.2231, 2.231e-1, 3.15x10^23, 1/3; 22.31% where a fraction is asked
  short    free text; then you see the model answer and its key points and grade
           yourself: 1 again, 2 hard, 3 good, 4 easy (keywords only give a hint)
After a right auto-graded answer you may rate it 2 hard or 4 easy (Enter keeps good).

\b
Without a terminal (stdin is a pipe or a file) every line is one answer, and the line after
a short answer is its rating (1-4); without one the short answer is "not graded" (correct:
null in --json) and that line is read as the next answer. An answer that cannot be read
(not UTF-8, not a number, out of range) counts as wrong, with a note. EOF or Ctrl-C ends
the session with the questions answered so far (exit 0).

\b
Numbers: an answer is right within the tolerance shown with the question (|x - exact| <=
abs + rel*|exact|); a wrong one within ten tolerances is called close, with how far off.

\b
Spaced repetition: every answer is saved the moment it is given and schedules the question
with FSRS (right = good, wrong = again, a self-grade as chosen). With no --topic,
--difficulty, --type, --generated or --seed, a session is the due reviews first (most
overdue first), then up to --new never-seen questions, N at most. --due asks only due
reviews (the filters narrow them) and says when the next one is due if none is.
`llmprep progress` shows where you stand.

\b
A drill (filters or --seed): the filters, then a shuffle seeded by --seed, then the first
N. The same seed gives the same questions in the same order with the same choice order. --generated FAMILY (or
`all`) adds generated questions: with no --topic/--difficulty/--type all N are generated,
spread over the families; with one of those filters, N // 2 are generated and the rest come
from the bank (generated ones fill in when the bank has too few; 100 at most). --topic also narrows `all`
to the families of those topics; --difficulty and --type filter bank questions only.
"""


def _list_generators(as_json: bool, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from llmprep.quiz.generators import load_families
    from llmprep.quiz.messages import words

    say = words(lang)
    console = get_console()
    families = sorted(load_families().values(), key=lambda f: f.name)
    if as_json:
        console.emit_json([{"name": f.name, "topic": f.topic, "description": dict(f.description)}
                           for f in families])
        return
    if not families:
        console.print(say["no_families"])
        return
    console.print(say["families_title"])
    table = Table()
    for column in (say["col_name"], say["topic"], say["col_description"]):
        table.add_column(column)
    for family in families:
        table.add_row(family.name, family.topic,
                      escape(family.description.get(lang, family.description.get("en", ""))))
    console.print_unclipped(table)


@click.command(help=HELP)
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only this topic (repeatable); an unknown one lists the topic ids.")
@click.option("-n", "--count", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many questions at most.")
@click.option("--difficulty", "difficulties", multiple=True, type=click.Choice(DIFFICULTIES),
              help="Only this difficulty (repeatable).")
@click.option("--type", "types", multiple=True, type=click.Choice(QUESTION_TYPES),
              help="Only this question type (repeatable).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the questions [default: zh when the locale is Chinese, else en].")
@click.option("--seed", type=int, default=None, help="Reproduce a session: the questions and their choice order (a fixed pick, not the schedule).")
@click.option("--generated", "generated", multiple=True, metavar="FAMILY",
              help="Add generated questions from FAMILY (repeatable; `all` for every family).")
@click.option("--new", "new", type=click.IntRange(min=0), default=DEFAULT_NEW, show_default=True,
              help="At most this many never-seen questions after the due reviews (sessions without filters).")
@click.option("--due", "due_only", is_flag=True, help="Only the reviews that are due now.")
@click.option("--id", "question_id", metavar="ID", default=None,
              help="Ask this one question (a bank id, or gen:FAMILY:SEED).")
@click.option("--list-generators", is_flag=True, help="List the generator families and exit.")
@json_option
def quiz(topics, count, difficulties, types, lang, seed, generated, new, due_only, question_id, list_generators,
         as_json) -> None:
    from llmprep.language import default_language
    from llmprep.messages import said
    from llmprep.quiz.bank import load_bank
    from llmprep.quiz.messages import words
    from llmprep.quiz.schedule import AnswerRecorder, QuizPlan, outlook, plan_quiz
    from llmprep.quiz.session import LineAnswers, TerminalAnswers, run_session
    from llmprep.quiz.view import ConsoleView
    from llmprep.store import open_store

    console = get_console()
    lang = lang or default_language()
    if list_generators:
        _list_generators(as_json, lang)
        return
    bank = load_bank()
    with open_store() as store:
        store.database.on_wait = console.note_store_wait  # a long import holding the lock: say why we pause
        if question_id is not None:
            from llmprep.errors import UserError
            from llmprep.quiz.planning import find_question, new_seed

            if topics or difficulties or types or generated or due_only:
                raise UserError(said("quiz.id_with_filters"), where="llmprep quiz", fix=said("quiz.id_with_filters_fix"))

            plan = QuizPlan([find_question(bank, question_id)], seed if seed is not None else new_seed(), "one",
                            schedule={"mode": "one"})
        else:
            plan = plan_quiz(bank, store, count=count, new=new, seed=seed, due_only=due_only, topics=topics,
                             difficulties=difficulties, types=types, generated=generated, lang=lang)
        for note in plan.notes:
            console.warn(note)
        # With nothing to ask, "nothing is due; the next one is due in 3h" is the result itself.
        show = console.note if plan.questions else console.print
        for line in plan.info:
            show(line)
        answers = TerminalAnswers(console) if sys.stdin.isatty() else LineAnswers(sys.stdin)
        view = ConsoleView(console, bank, lang)
        record = AnswerRecorder(store, plan.questions, on_change=lambda question_id: console.note(
            words(lang)["changed"].format(id=question_id)))
        result = run_session(plan.questions, seed=plan.seed, lang=lang, answers=answers, view=view,
                             on_answer=record)
        after = outlook(store, lang=lang)
    if plan.questions:
        view.summary(result, after)
    if as_json:
        console.emit_json({**result.to_json(), "schedule": plan.schedule, "outlook": after})
