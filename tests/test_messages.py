"""The message catalogue: every English message has a Chinese one with the same fields."""

from __future__ import annotations

import string

import pytest

from llmprep.messages import LANGUAGES, catalogue, message, translator


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_in_every_language_with_the_same_fields():
    english = catalogue("en")
    assert english, "the catalogue is empty"
    for lang in LANGUAGES:
        messages = catalogue(lang)
        assert sorted(set(english) - set(messages)) == [], f"untranslated in {lang}"
        assert sorted(set(messages) - set(english)) == [], f"only in {lang} (a typo of a key?)"
        for key, text in messages.items():
            assert _fields(text) == _fields(english[key]), (lang, key)


def test_each_key_is_prefixed_by_its_area_and_defined_once():
    import importlib
    import pkgutil

    for lang in LANGUAGES:
        package = importlib.import_module(f"llmprep.messages.{lang}")
        seen: dict[str, str] = {}
        for module in pkgutil.iter_modules(package.__path__):
            for key in importlib.import_module(f"{package.__name__}.{module.name}").MESSAGES:
                assert key not in seen, f"{key} is in both {seen[key]} and {module.name} ({lang})"
                seen[key] = module.name


def test_fields_are_filled_and_an_unknown_language_speaks_english():
    assert message("hint.more", "zh", command="llmprep hint rope --level 2 --lang zh") == \
        "更多提示：llmprep hint rope --level 2 --lang zh"
    assert translator("fr")("hint.more", command="x") == "More: x"
    with pytest.raises(KeyError):
        message("no.such.key")


def test_every_message_renders_with_its_own_fields_whatever_they_are_called():
    """A field may be called `key` or `lang` (bench's peak source has `{key}`): `message` and
    `said` take their own arguments by position only, so no field name collides with them."""
    from llmprep.messages import said

    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            fields = {name.split(".")[0].split("[")[0]: "x" for name in _fields(text)}
            try:
                message(key, lang, **fields)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
                raise AssertionError(f"{lang} {key}: {error!r}") from error
    assert said("bench.gpu_peak_source", source="NVIDIA datasheet", key="tf32") == "NVIDIA datasheet (dense tf32)"
