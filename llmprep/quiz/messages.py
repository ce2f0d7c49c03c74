"""The quiz's strings from the message catalogue (`llmprep/messages/<lang>/quiz.py`), as one table per language.

`words(lang)["right"]` is the catalogue's `quiz.right` in that language (English where a
Chinese one is missing), so the quiz code reads its strings by their short names.
"""

from __future__ import annotations

import functools

from llmprep.messages import catalogue, message

PREFIX = "quiz."


@functools.cache
def words(lang: str) -> dict[str, str]:
    """The quiz strings of `lang` ("en" or "zh"; anything else gets English), keyed without the `quiz.` prefix."""
    table = {key[len(PREFIX):]: text for key, text in catalogue("en").items() if key.startswith(PREFIX)}
    if lang == "zh":
        table.update({key[len(PREFIX):]: text for key, text in catalogue("zh").items() if key.startswith(PREFIX)})
    return table


class Said(str):
    """A catalogue message rendered in English that remembers its key and fields, so a bank problem
    found once (and reported in English in `--json`) can be shown in the reader's language."""

    key: str
    fields: dict[str, object]


def said(key: str, /, **fields: object) -> Said:
    """The catalogue's message `key` in English, able to be re-rendered by `in_language`."""
    text = Said(message(key, "en", **fields))
    text.key, text.fields = key, fields
    return text


def in_language(text: str, lang: str) -> str:
    """`text` in `lang` when it came from `said`; other text (pydantic's own messages) as it is."""
    if not isinstance(text, Said):
        return text
    return message(text.key, lang, **{name: in_language(value, lang) if isinstance(value, Said) else value
                                      for name, value in text.fields.items()})
