"""A question is one of five types, told apart by its `type` field (a pydantic tagged union).

    parse_question({"type": "numeric", ...})  ->  NumericQuestion

Every type parses, grades and shows its own answers (choices.py, numeric.py, short.py); the
code that asks questions never tests the type.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from llmprep.quiz.choices import ChoiceQuestion, ChoicesQuestion, MultiQuestion, OrderQuestion
from llmprep.quiz.numeric import NumericQuestion, Tolerance
from llmprep.quiz.schema import Question, Source, Text
from llmprep.quiz.short import ShortQuestion

QUESTION_CLASSES: dict[str, type[Question]] = {
    "choice": ChoiceQuestion, "multi": MultiQuestion, "order": OrderQuestion,
    "numeric": NumericQuestion, "short": ShortQuestion,
}

AnyQuestion = Annotated[
    ChoiceQuestion | MultiQuestion | OrderQuestion | NumericQuestion | ShortQuestion,
    Field(discriminator="type"),
]
QUESTION_ADAPTER: TypeAdapter[Question] = TypeAdapter(AnyQuestion)


def parse_question(data: Any, *, context: dict[str, Any] | None = None) -> Question:
    """The question of the right type for `data` (a mapping); pydantic's ValidationError when it is not one."""
    return QUESTION_ADAPTER.validate_python(data, context=context)


def fields_by_type() -> dict[str, list[str]]:
    """For each field, the types that have it (to say "only numeric questions have it")."""
    owners: dict[str, list[str]] = {}
    for kind, cls in QUESTION_CLASSES.items():
        for name in cls.model_fields:
            owners.setdefault(name, []).append(kind)
    return owners


__all__ = ["AnyQuestion", "ChoiceQuestion", "ChoicesQuestion", "MultiQuestion", "NumericQuestion", "OrderQuestion",
           "Question", "QUESTION_CLASSES", "ShortQuestion", "Source", "Text", "Tolerance", "parse_question",
           "fields_by_type"]
