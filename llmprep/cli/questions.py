"""`llmprep questions`: list the bank, show one question, validate a bank directory."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option
from llmprep.quiz import LANGUAGES

HELP = """List the question bank; `show` one question with its answer; `validate` a bank directory.

\b
  llmprep questions                          every question: id, topic, type, difficulty, sources
  llmprep questions --topic attention --json
  llmprep questions show attention-why-sqrt-dk --lang zh
  llmprep questions validate                 lint the bank (for contributors)
  llmprep questions validate path/to/questions
"""


@click.group(help=HELP, invoke_without_command=True)
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="Only this topic (repeatable).")
@json_option
@click.pass_context
def questions(ctx: click.Context, topics, as_json) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from llmprep.quiz.bank import check_topics, load_bank

    console = get_console()
    topics = check_topics(topics)
    bank = load_bank()
    chosen = [q for q in bank.questions if not topics or q.topic in topics]
    if as_json:
        console.emit_json([q.summary() for q in chosen])
        return
    table = Table(title=f"{len(chosen)} questions", title_justify="left")
    for column in ("id", "topic", "type", "difficulty", "sources", "source error"):
        table.add_column(column)
    for q in chosen:
        sources = ", ".join(
            f"{s.doc[:3]}:{s.lines[0]}-{s.lines[1]}" if s.doc else "ref" for s in q.sources
        )
        table.add_row(q.id, q.topic, q.type, q.difficulty, sources, "yes" if q.source_error else "")
    console.print(table)


@questions.command(help="""Show one question with its answer, explanation, sources and the source's error.

\b
  llmprep questions show attention-why-sqrt-dk
  llmprep questions show attention-why-sqrt-dk --lang zh --json
  llmprep questions show gen:FAMILY:SEED      a generated question, made again from its seed
""")
@click.argument("question_id", metavar="ID")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language [default: zh when the locale is Chinese, else en].")
@json_option
def show(question_id: str, lang: str | None, as_json: bool) -> None:
    from llmprep.language import default_language
    from llmprep.quiz.bank import find_question, load_bank
    from llmprep.quiz.session import question_card

    console = get_console()
    lang = lang or default_language()
    bank = load_bank()
    question = find_question(bank, question_id)
    if as_json:
        data = question.model_dump(mode="json", exclude_none=True)
        data["answer"] = question.answer_json()
        console.emit_json(data)
        return
    console.print(question_card(question, lang, bank.documents, reveal=True))


@questions.command(help="""Lint a bank directory (default: the bundled bank) or one topic file.

Checks every file against questions/FORMAT.md and lists every problem with its file, line,
question id and field. Exit code 0 when clean, 1 when there are problems.

\b
  llmprep questions validate
  llmprep questions validate questions/attention.yaml --json
""")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@json_option
def validate(path: str | None, as_json: bool) -> None:
    from pathlib import Path

    from llmprep.paths import questions_dir
    from llmprep.quiz.bank import read_bank

    console = get_console()
    bank, problems = read_bank(Path(path) if path else questions_dir())
    if as_json:
        console.emit_json({"ok": not problems, "questions": len(bank.questions), "files": len(bank.files),
                           "problems": [p.to_dict() for p in problems]})
    else:
        from rich.markup import escape

        for problem in problems:
            console.print(f"[red]✗[/red] {escape(str(problem))}", soft_wrap=True)  # one grep-able line each
        if problems:
            console.print(f"{len(problems)} problem(s); {len(bank.questions)} valid questions "
                          f"in {len(bank.files)} file(s)")
        else:
            console.print(f"[green]✓[/green] {len(bank.questions)} questions in {len(bank.files)} file(s), "
                          "no problems")
    raise SystemExit(1 if problems else 0)
