"""Reading a bank YAML file with bounds, so no file can hang or exhaust `questions validate`.

A bank file is a regular file of at most 1 MiB, UTF-8, without YAML aliases (a 550-byte
"billion laughs" file, or `answer: &r [1, *r]`, expands without end), nested at most 64
deep, with at most 10,000 values (each costs a node and a check) and no number longer than
400 characters (Python refuses to read a 100,000-digit integer). The events are scanned for these before any node is built, so each check costs
one pass over the text.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from llmprep.messages import said

MAX_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_DIGITS = 400
# The whole bank (513 questions in 26 files) is about 30,000 events, its largest file about 1,600;
# each event costs ~50 µs to scan, build and check on a busy machine, so this keeps a file near half a second.
MAX_EVENTS = 10_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBERISH = re.compile(r"^[-+]?[0-9_.,:eE+-]+$")

# (line or None, field or None, message); the field is "file" when the file cannot be read at all and
# "yaml" when it is not YAML the bank accepts: `questions validate` exits 2 on those, 1 on the rest.
Found = list[tuple[int | None, str | None, str]]


def read_text(path: Path) -> tuple[str | None, Found]:
    """The file's text, or the reason it cannot be read as a bank file."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return None, [(None, "file", said("bank.cannot_read", reason=error.strerror))]
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, [(None, "file", said("bank.not_regular"))]
        if info.st_size > MAX_BYTES:
            return None, [(None, "file", said("bank.too_big", size=f"{info.st_size:,}", limit=f"{MAX_BYTES:,}"))]
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return None, [(None, "file", said("bank.over_limit", limit=f"{MAX_BYTES:,}"))]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, [(line, "file", said("bank.not_utf8", reason=error.reason, byte=error.start))]


def _yaml_problem(error: yaml.YAMLError) -> Found:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    problem += f" ({context})" if context else ""
    message = said("bank.malformed_at", problem=problem, column=mark.column + 1) if mark is not None \
        else said("bank.malformed", problem=problem)
    return [(mark.line + 1 if mark else None, "yaml", message)]


def scan_events(text: str) -> Found:
    """The first alias, over-deep nesting or over-long number in `text`, found from its parse events."""
    loader = _LOADER(text)
    depth = events = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            events += 1
            if events > MAX_EVENTS:
                return [(line, "yaml", said("bank.too_many_values", limit=f"{MAX_EVENTS:,}"))]
            if isinstance(event, yaml.AliasEvent):
                return [(line, "yaml", said("bank.alias", anchor=event.anchor))]
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [(line, "yaml", said("bank.too_deep", limit=MAX_DEPTH))]
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and not event.style and len(event.value) > MAX_DIGITS \
                    and _NUMBERISH.match(event.value):
                return [(line, "yaml", said("bank.long_number", length=f"{len(event.value):,}",
                                              limit=MAX_DIGITS))]
    except yaml.YAMLError as error:
        return _yaml_problem(error)
    finally:
        loader.dispose()
    return []


def _duplicate_keys(node: yaml.Node) -> Found:
    # PyYAML silently keeps the last of two equal keys; the second one is almost always a mistake.
    found: Found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((key.start_mark.line + 1, key.value,
                                      said("bank.key_twice", name=repr(key.value))))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda item: item[0] or 0)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None, Found]:
    """A bank file's data, its node tree (for line numbers) and its problems; data and node are None when unreadable."""
    text, found = read_text(path)
    if text is None:
        return None, None, found
    found = scan_events(text)
    if found:
        return None, None, found
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        return None, None, _yaml_problem(error)
    except (ValueError, OverflowError, RecursionError) as error:
        return None, None, [(None, "yaml", said("bank.unholdable", error=str(error)))]
    finally:
        loader.dispose()
    return data, node, _duplicate_keys(node) if node is not None else []
