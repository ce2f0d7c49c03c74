"""The quiz's strings from the message catalogue (`llmprep/messages/<lang>/quiz.py`), as one table per language.

`words(lang)["right"]` is the catalogue's `quiz.right` in that language (English where a
Chinese one is missing), so the quiz code reads its strings by their short names.
"""

from __future__ import annotations

import functools

from llmprep.messages import catalogue

PREFIX = "quiz."


@functools.cache
def words(lang: str) -> dict[str, str]:
    """The quiz strings of `lang` ("en" or "zh"; anything else gets English), keyed without the `quiz.` prefix."""
    table = {key[len(PREFIX):]: text for key, text in catalogue("en").items() if key.startswith(PREFIX)}
    if lang == "zh":
        table.update({key[len(PREFIX):]: text for key, text in catalogue("zh").items() if key.startswith(PREFIX)})
    return table

