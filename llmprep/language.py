"""Which language to talk in when the user did not say (`--lang`)."""

from __future__ import annotations

import os


def default_language(environ: dict[str, str] | None = None) -> str:
    """"zh" when the locale (LC_ALL, then LC_MESSAGES, then LANG) is Chinese, else "en"."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
