"""`llmprep next`: what to do now, from the store, the bank and the catalog.

Reviews due come first (forgetting is what spaced repetition prevents); then the first exercise
in catalog order that is not passed yet: the one already attempted gets its `check` command
again, a new one its `start` command.
"""

from __future__ import annotations

import shlex
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from llmprep.quiz.schedule import describe_due, iso_utc

if TYPE_CHECKING:
    from llmprep.exercises import Exercise
    from llmprep.quiz.bank import Bank
    from llmprep.store import Store


def what_next(store: Store, bank: Bank | None, catalog: list[Exercise], lang: str,
              now: datetime | None = None) -> dict[str, Any]:
    """The document of `llmprep next --json`: overall progress, reviews, the next exercise, the commands."""
    now = now or datetime.now(timezone.utc)
    summary = store.checks.summary()
    seen = store.reviews.seen_question_ids()
    passed = [e.id for e in catalog if summary.get(e.id, {}).get("passes")]
    bank_ids = {q.id for q in bank.questions} if bank is not None else None
    due = store.reviews.due_cards(now)
    upcoming = store.reviews.next_due(now)
    lang_flag = " --lang zh" if lang == "zh" else ""
    reviews = {"due_now": len(due), "next_due": iso_utc(upcoming.due) if upcoming else None,
               "command": f"llmprep quiz --due{lang_flag}" if due else None}
    exercise = None
    for candidate in catalog:
        entry = summary.get(candidate.id)
        if entry and entry["passes"]:
            continue
        if entry and entry.get("last_file"):
            command = f"llmprep check {shlex.quote(entry['last_file'])}{lang_flag}"
        else:
            command = f"llmprep start {candidate.id}{lang_flag}"
        exercise = {"id": candidate.id, "title": candidate.title_in(lang),
                    "status": "attempted" if entry else "new", "command": command}
        break
    commands = [c for c in (reviews["command"], exercise and exercise["command"]) if c]
    if not commands and not due and not seen:
        commands.append(f"llmprep quiz{lang_flag}")
    return {
        "overall": {"exercises_passed": len(passed), "exercises": len(catalog),
                    "questions_seen": len(seen & bank_ids) if bank_ids is not None else len(seen),
                    "questions": len(bank_ids) if bank_ids is not None else None},
        "reviews": reviews,
        "exercise": exercise,
        "commands": commands,
    }


def render_next(console, advice: dict[str, Any], lang: str, now: datetime | None = None) -> None:
    """Show the advice: one line of overall progress, then what to do, each with its command whole."""
    from llmprep.messages import translator

    _ = translator(lang)
    now = now or datetime.now(timezone.utc)
    overall = advice["overall"]
    if overall["questions"] is None:
        line = _("next.overall_no_bank", passed=overall["exercises_passed"], exercises=overall["exercises"],
                 seen=overall["questions_seen"])
    else:
        line = _("next.overall", passed=overall["exercises_passed"], exercises=overall["exercises"],
                 seen=overall["questions_seen"], questions=overall["questions"])
    lines = [line]
    reviews = advice["reviews"]
    lang_flag = " --lang zh" if lang == "zh" else ""
    if reviews["due_now"]:
        lines.append(_("next.reviews_due", count=reviews["due_now"], command=reviews["command"]))
    elif reviews["next_due"]:
        lines.append(_("next.next_review", when=describe_due(datetime.fromisoformat(reviews["next_due"]), now, lang)))
    else:
        lines.append(_("next.no_reviews", command=f"llmprep quiz{lang_flag}"))
    exercise = advice["exercise"]
    if exercise is None:
        lines.append(_("next.all_passed", command=f"llmprep bench{lang_flag}"))
    else:
        key = "next.exercise_continue" if exercise["status"] == "attempted" else "next.exercise_new"
        lines.append(_(key, exercise=exercise["id"], title=exercise["title"], command=exercise["command"]))
    for text in lines:
        console.print(text, soft_wrap=True, markup=False, highlight=False)
