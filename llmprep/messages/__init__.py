"""The message catalogue: every user-facing string, in English and Chinese.

One module per language and area (`en/<area>.py`, `zh/<area>.py`), each with
`MESSAGES = {"<area>.<name>": "text with {fields}"}`, so each part of llmprep edits its own files.
Use it through a translator bound to a language:

    _ = translator(lang)
    console.print(_("hint.more", command=command))

Fields are filled with `str.format`. A key missing in Chinese falls back to English at run time
(tests/test_messages.py fails on any such key); a key missing in English is a bug (KeyError).
Messages are plain text; callers escape data before giving it to rich.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable

LANGUAGES = ("en", "zh")


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language, from all of its area modules."""
    package = importlib.import_module(f"llmprep.messages.{lang}")
    merged: dict[str, str] = {}
    for module in pkgutil.iter_modules(package.__path__):
        merged.update(importlib.import_module(f"{package.__name__}.{module.name}").MESSAGES)
    return merged


def message(key: str, lang: str = "en", /, **fields: object) -> str:
    """The message `key` in `lang` with its fields filled in."""
    text = catalogue(lang if lang in LANGUAGES else "en").get(key)
    if text is None:
        text = catalogue("en")[key]
    return text.format(**fields)


def translator(lang: str) -> Callable[..., str]:
    """`message` bound to one language: `_ = translator("zh"); _("exercises.title")`."""
    return functools.partial(_bound, lang)


def _bound(lang: str, key: str, **fields: object) -> str:
    return message(key, lang, **fields)


class Said(str):
    """A catalogue message rendered in English that remembers its key and fields, so text made where
    the language is not known (a bank problem, a UserError raised deep down) can be shown in the
    reader's language where it is printed, while JSON documents keep the English."""

    key: str
    fields: dict[str, object]


def said(key: str, /, **fields: object) -> Said:
    """The catalogue's message `key` in English, able to be re-rendered by `in_language`."""
    text = Said(message(key, "en", **fields))
    text.key, text.fields = key, fields
    return text


def in_language(text: str, lang: str) -> str:
    """`text` in `lang` when it came from `said`; any other text as it is."""
    if not isinstance(text, Said):
        return text
    return message(text.key, lang, **{name: in_language(value, lang) if isinstance(value, Said) else value
                                      for name, value in text.fields.items()})
