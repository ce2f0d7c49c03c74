"""`llmprep questions`: list or search the bank, show one question, validate a bank directory."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option
from llmprep.quiz import LANGUAGES

HELP = """List the question bank; `show` one question with its answer; `validate` a bank directory.

\b
  llmprep questions                          every question: id, topic, type, difficulty, sources
  llmprep questions --topic attention --json
  llmprep questions --search softmax         prompts, choices, answers, explanations (en and zh)
  llmprep questions --search 饱和
  llmprep questions show attention-why-sqrt-dk --lang zh
  llmprep questions show attention-why-sqrt-dk --source   with the passage each source cites
  llmprep questions validate                 lint the bank (for contributors)
  llmprep questions validate path/to/questions
"""


@click.group(help=HELP, invoke_without_command=True)
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="Only this topic (repeatable).")
@click.option("--search", metavar="TEXT", default=None,
              help="Only questions whose text contains TEXT (case-insensitive, either language).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the headings [default: zh when the locale is Chinese, else en].")
@json_option
@click.pass_context
def questions(ctx: click.Context, topics, search, lang, as_json) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rich.markup import escape
    from rich.table import Table

    from llmprep.language import default_language
    from llmprep.quiz.bank import check_topics, load_bank
    from llmprep.quiz.citations import short_source
    from llmprep.quiz.messages import words
    from llmprep.quiz.planning import search_questions

    say = words(lang or default_language())
    console = get_console()
    topics = check_topics(topics)
    bank = load_bank()
    chosen = [q for q in bank.questions if not topics or q.topic in topics]
    if search is not None:
        chosen = search_questions(chosen, search)
    if as_json:
        console.emit_json([q.summary() for q in chosen])
        return
    # The title on its own line: a table title is padded to the table's width with trailing spaces.
    console.print(say["list_title"].format(count=len(chosen)))
    table = Table()
    for column in (say["col_id"], say["topic"], say["col_type"], say["col_difficulty"]):
        table.add_column(column, no_wrap=True)  # ids are copied into other commands: never cut or wrapped
    table.add_column(say["col_sources"])  # wraps between sources on a terminal; one line in a pipe
    table.add_column(say["col_source_error"], no_wrap=True)
    for q in chosen:
        sources = ", ".join(short_source(s, bank) for s in q.sources)
        table.add_row(escape(q.id), q.topic, say[q.type], say[q.difficulty], escape(sources),
                      say["yes"] if q.source_error else "")
    console.print_unclipped(table)


@questions.command(help="""Show one question with its answer, explanation, sources and the source's error.

\b
  llmprep questions show attention-why-sqrt-dk
  llmprep questions show attention-why-sqrt-dk --lang zh --json
  llmprep questions show attention-why-sqrt-dk --source    the cited passages too
  llmprep questions show gen:FAMILY:SEED      a generated question, made again from its seed

The source documents are not part of llmprep: --source reads them from ../shared/seeds beside
the checkout, or from the folder LLMPREP_SEEDS names.
""")
@click.argument("question_id", metavar="ID")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language [default: zh when the locale is Chinese, else en].")
@click.option("--source", "with_source", is_flag=True, help="Also print the passage each document source cites.")
@json_option
def show(question_id: str, lang: str | None, with_source: bool, as_json: bool) -> None:
    from llmprep.language import default_language
    from llmprep.quiz.bank import load_bank
    from llmprep.quiz.citations import cited_passage, describe_source, seeds_dir
    from llmprep.quiz.messages import words
    from llmprep.quiz.planning import find_question
    from llmprep.quiz.view import question_card

    console = get_console()
    lang = lang or default_language()
    bank = load_bank()
    question = find_question(bank, question_id)
    passages = []
    if with_source:
        for source in question.sources:
            if source.doc is not None:
                passages.append({"source": describe_source(source, bank, lang), "doc": source.doc,
                                 "lines": source.lines, "text": cited_passage(source)})
        if any(p["text"] is None for p in passages):
            console.warn(words(lang)["no_seeds"].format(path=seeds_dir()))
    if as_json:
        data = question.model_dump(mode="json", exclude_none=True)
        data["answer"] = question.answer_json()
        if with_source:
            data["passages"] = passages
        console.emit_json(data)
        return
    console.print(question_card(question, lang, bank, reveal=True))
    for passage in passages:
        if passage["text"] is not None:
            console.print(passage["source"], style="bold", markup=False, soft_wrap=True)
            first = passage["lines"][0]
            for number, line in enumerate(passage["text"], first):
                console.print(f"{number:>5}  {line}", markup=False, soft_wrap=True, highlight=False)


@questions.command(help="""Lint a bank directory (default: the bundled bank) or one topic file.

Checks every file against questions/FORMAT.md and lists every problem with its file, line,
question id and field. Exit code 0 when clean, 1 when there are problems, 2 when a file
cannot be read as bank YAML at all. Reading is bounded: at most 1 MiB a file, a regular
file, no YAML aliases, nesting at most 64 deep, numbers at most 400 characters.

\b
  llmprep questions validate
  llmprep questions validate questions/attention.yaml --json
""")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the problems and the summary (`--json` keeps the problems in English).")
@json_option
def validate(path: str | None, lang: str | None, as_json: bool) -> None:
    from pathlib import Path

    from llmprep.errors import UserError
    from llmprep.language import default_language
    from llmprep.messages import in_language, message
    from llmprep.paths import questions_dir
    from llmprep.quiz.bank import read_bank
    from llmprep.quiz.messages import words
    from llmprep.quiz.yaml_reading import read_text

    console = get_console()
    lang = lang or default_language()
    target = Path(path) if path else questions_dir()
    if not target.is_dir():
        # A file that cannot be read at all (a FIFO, too big, not UTF-8) is a usage error, not a lint.
        text, found = read_text(target)
        if text is None:
            raise UserError(message("bank.cannot_validate", lang, path=target, reason=in_language(found[0][2], lang)),
                            where=str(target), fix=message("bank.cannot_validate_fix", lang))
    bank, problems = read_bank(target)
    if as_json:
        console.emit_json({"ok": not problems, "questions": len(bank.questions), "files": len(bank.files),
                           "problems": [p.to_dict() for p in problems]})
    else:
        from rich.markup import escape

        for problem in problems:
            console.print(f"[red]✗[/red] {escape(problem.text(lang))}", soft_wrap=True)  # one grep-able line each
        say = words(lang)
        counts = {"problems": len(problems), "questions": len(bank.questions), "files": len(bank.files)}
        if problems:
            console.print(say["validate_problems"].format(**counts))
        else:
            console.print("[green]✓[/green] " + say["validate_clean"].format(**counts))
    unreadable = any(problem.field in ("file", "yaml") for problem in problems)
    raise SystemExit(2 if unreadable else 1 if problems else 0)
