"""The report's messages in Chinese.

The grader words its verdicts in English (they are also the JSON document's `error` fields,
which keep their text); `in_chinese` rewrites each known form for `--lang zh`. Two kinds of form:

- the grader's own (`_FORMS` below: regular expressions and their Chinese replacements);
- an exercise's own: harness.py and spec.py declare the messages they write in a `MESSAGES` dict of
  `key: (english template, chinese template)` with `str.format` fields (exercises/FORMAT.md).
  The worker sends an exception's text as a string, so the English template becomes a pattern
  here and the Chinese template is filled with what its fields matched.

An exception the submission raised itself ("mat1 and mat2 shapes cannot be multiplied") has no
Chinese form: `error_in_chinese` frames it in Chinese and shows its text as data.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_FORMS: list[tuple[str, str]] = [
    (r"wrong values: (\d+) of (\d+) elements of (.+) outside atol \+ rtol·\|ref\| \(atol=(\S+), rtol=(\S+)\)",
     r"数值错误：\3 的 \2 个元素中有 \1 个超出 atol + rtol·|ref|（atol=\4，rtol=\5）"),
    (r"wrong values: (\d+) of (\d+) elements of (.+) differ, the first at (.+)",
     r"数值错误：\3 的 \2 个元素中有 \1 个不同，第一个在 \4"),
    (r"non-finite values: the reference has (\d+) inf or NaN where (.+) is finite or different",
     r"非有限值：参考值有 \1 处为 inf 或 NaN，而 \2 在这些位置是有限值或不同"),
    (r"non-finite values: (.+) has (\d+) NaN or inf where the reference is finite",
     r"非有限值：\1 在参考值有限的位置有 \2 个 NaN 或 inf"),
    (r"wrong shape: (.+) is (\S+), expected (\S+)", r"形状错误：\1 是 \2，应为 \3"),
    (r"wrong dtype: (.+) is (\S+), expected (\S+)", r"dtype 错误：\1 是 \2，应为 \3"),
    (r"wrong device: (.+) is on (\S+), expected (\S+)", r"设备错误：\1 在 \2 上，应在 \3 上"),
    (r"wrong type: (.+) is (.+), expected (.+)", r"类型错误：\1 是 \2，应为 \3"),
    (r"wrong length: (.+) has (\d+) items, expected (\d+)", r"长度错误：\1 有 \2 项，应为 \3 项"),
    (r"(.+) has keys (.+), expected (.+)", r"\1 的键为 \2，应为 \3"),
    (r"(.+): nothing usable came back", r"\1：没有返回可用的值"),
    (r"(.+): no tensor came back", r"\1：没有返回张量"),
    (r"called a banned built-in: (.+)", r"调用了禁止使用的内置函数：\1"),
    (r"modified its input `(.+)` in place", r"原地修改了输入 `\1`"),
    (r"no gradients came back", r"没有返回梯度"),
    # after "wrong gradient: ", which _one turns into "梯度错误：" first
    (r"no gradient reached input `(.+)`", r"没有梯度传到输入 `\1`"),
    (r"no gradient reached parameter `(.+)`", r"没有梯度传到参数 `\1`"),
    (r"the gradient of input `(.+)`", r"输入 `\1` 的梯度"),
    (r"the gradient of parameter `(.+)`", r"参数 `\1` 的梯度"),
    (r"timed out: still running after (\S+) s \(see --timeout\)", r"超时：\1 秒后仍在运行（见 --timeout）"),
    (r"the worker's result channel was corrupted while this case ran", r"运行此用例时，工作进程的结果通道被破坏"),
    (r"the process ended while this case ran \((.+)\)", r"运行此用例时进程结束了（\1）"),
    (r"the file defines no `(.+)` \(it defines: (.+)\); the exercise asks for (.+)",
     r"文件中没有定义 `\1`（它定义了：\2）；本练习要求 \3"),
    (r"(.+) is (\S+), expected (\S+)", r"\1 为 \2，应为 \3"),
]
_COMPILED = [(re.compile(pattern, re.DOTALL), zh) for pattern, zh in _FORMS]
_PATHS = [(p, zh) for p, zh in _COMPILED if p.pattern.startswith("the gradient of ")]  # inside other messages
_IMPORT = re.compile(r"the file failed to import: ([\w.]+): (.*?)(?: \(line (\d+)\))?", re.DOTALL)
_RAISED = re.compile(r"([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning|Iteration)): (.*?)(?: \(line (\d+)\))?",
                     re.DOTALL)


@dataclass(frozen=True)
class Form:
    """One message an exercise writes: its English template as a pattern, and its Chinese template."""

    key: str
    en: str
    zh: str
    pattern: re.Pattern

    def fields(self) -> set[str]:
        """The names of the template's fields."""
        return template_fields(self.en)


def template_fields(template: str) -> set[str]:
    """The field names of a `str.format` template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def make_form(key: str, en: str, zh: str) -> Form:
    """A Form from a MESSAGES entry; ValueError when the templates cannot be one (fields differ,
    a field is not a plain name, the Chinese holds no Chinese)."""
    parts, seen = [], set()
    for literal, field, _, _ in string.Formatter().parse(en):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(f"message {key!r}: field {{{field}}} must be a plain name")
        parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
        seen.add(field)
    if template_fields(zh) != seen:
        raise ValueError(f"message {key!r}: the English fields {sorted(seen)} and the Chinese "
                         f"{sorted(template_fields(zh))} differ")
    if not re.search(r"[\u4e00-\u9fff]", zh):
        raise ValueError(f"message {key!r}: the Chinese template has no Chinese")
    return Form(key, en, zh, re.compile("".join(parts), re.DOTALL))


def forms_from(messages: object, where: str) -> list[Form]:
    """The forms of one file's MESSAGES (a dict of key: (english, chinese)); ValueError naming `where`."""
    if not isinstance(messages, dict):
        raise ValueError(f"{where}: MESSAGES must be a dict of key: (english, chinese)")
    forms = []
    for key, pair in messages.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, str) and t.strip() for t in pair)):
            raise ValueError(f"{where}: MESSAGES[{key!r}] must be a tuple (english, chinese)")
        forms.append(make_form(key, *pair))
    # the most specific first: a template whose literal text is longer matches before a looser one
    return sorted(forms, key=lambda f: -len(f.pattern.pattern))


def _fill(template: str, values: dict[str, str], translate: Callable[[str], str]) -> str:
    out = []
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            out.append(translate(values[field]))
    return "".join(out)


def _one(message: str, forms: Sequence[Form]) -> str:
    for form in forms:
        match = form.pattern.fullmatch(message)
        if match:
            # a field may hold a message of its own (a rank's error inside the harness's)
            return _fill(form.zh, match.groupdict(), lambda value: _one(value, forms))
    for prefix, zh in (("wrong gradient: ", "梯度错误："), ("gradient: ", "梯度："), ("not run: ", "未运行：")):
        if message.startswith(prefix):
            return zh + in_chinese(message[len(prefix):], forms)
    if message == "not run":
        return "未运行"
    imported = _IMPORT.fullmatch(message)
    if imported:
        return "文件导入失败：" + error_in_chinese(imported[1], imported[2], imported[3], forms)
    for pattern, zh in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            text = match.expand(zh)
            for inner, inner_zh in _PATHS:
                text = inner.sub(inner_zh, text)
            return text
    raised = _RAISED.fullmatch(message)
    if raised:
        return error_in_chinese(raised[1], raised[2], raised[3], forms)
    return message


def error_in_chinese(error_type: str, text: str, line: int | str | None, forms: Sequence[Form] = ()) -> str:
    """An exception's message in Chinese: an exercise's own message in its Chinese form; the
    submission's own text framed in Chinese, the text itself shown as data."""
    where = f"（第 {line} 行）" if line else ""
    if line:  # a SyntaxError's text ends with "(file.py, line 3)": the line is said once
        text = re.sub(r" \([^()]*, line \d+\)$", "", text)
    for form in forms:
        if form.pattern.fullmatch(text):
            return f"{error_type}{where}：{_one(text, forms)}"
    return f"提交的代码抛出 {error_type}{where}：{text}"


def case_error_in_chinese(error: str, error_type: str | None, line: int | None, forms: Sequence[Form] = ()) -> str:
    """A case's error in Chinese, knowing whether (and where) the call raised."""
    head, tail = f"{error_type}: ", f" (line {line})" if line else ""
    if error_type and error.startswith(head) and error.endswith(tail):
        return error_in_chinese(error_type, error[len(head):len(error) - len(tail)], line, forms)
    return in_chinese(error, forms) or ""


def in_chinese(message: str | None, forms: Sequence[Form] = ()) -> str | None:
    """The Chinese wording of a verdict message (several are joined by "; "); `forms` are the
    exercise's own messages."""
    if not message:
        return message
    whole = (_RAISED.fullmatch(message) or _IMPORT.fullmatch(message)
             or any(form.pattern.fullmatch(message) for form in forms))
    text = _one(message, forms) if whole else "；".join(_one(part, forms) for part in message.split("; "))
    return re.sub(r" \(line (\d+)\)", r"（第 \1 行）", text)


def exercise_forms(exercise) -> list[Form]:
    """The messages an exercise's harness.py and spec.py declare in MESSAGES, as forms (a
    UserError naming the file when a declaration is malformed)."""
    from llmprep.errors import UserError
    from llmprep.grading.cases import load_module

    forms: list[Form] = []
    for filename in filter(None, (exercise.harness, "spec.py")):
        messages = getattr(load_module(exercise, filename), "MESSAGES", None)
        if messages is None:
            continue
        where = str(exercise.path(filename))
        try:
            forms += forms_from(messages, where)
        except ValueError as exc:
            raise UserError(str(exc), where=where, fix="see MESSAGES in exercises/FORMAT.md") from None
    return sorted(forms, key=lambda f: -len(f.pattern.pattern))


def traceback_in_chinese(frames: str) -> str:
    """A Python traceback's own words in Chinese; the code and names in it stay as they are."""
    frames = frames.replace("Traceback (most recent call last):", "调用栈（最近的调用在最后）：")
    return re.sub(r'File "([^"]*)", line (\d+)(?:, in (\S+))?',
                  lambda m: f'文件 "{m[1]}"，第 {m[2]} 行' + (f"，在 {m[3]} 中" if m[3] else ""), frames)
