"""The report's verdict messages in Chinese.

The grader words its verdicts in English (they are also the JSON document's `error` fields,
which keep their text); `in_chinese` rewrites each known form for `--lang zh`. A form it does not
know (an exception's own text, a property written by an exercise) is shown as it is.
"""

from __future__ import annotations

import re

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
    (r"wrong gradient: no gradient reached input `(.+)`", r"梯度错误：没有梯度传到输入 `\1`"),
    (r"wrong gradient: no gradient reached parameter `(.+)`", r"梯度错误：没有梯度传到参数 `\1`"),
    (r"the gradient of input `(.+)`", r"输入 `\1` 的梯度"),
    (r"the gradient of parameter `(.+)`", r"参数 `\1` 的梯度"),
    (r"timed out: still running after (\S+) s \(see --timeout\)", r"超时：\1 秒后仍在运行（见 --timeout）"),
    (r"the worker's result channel was corrupted while this case ran", r"运行此用例时，工作进程的结果通道被破坏"),
    (r"the process ended while this case ran \((.+)\)", r"运行此用例时进程结束了（\1）"),
    (r"the file failed to import: (.+)", r"文件导入失败：\1"),
    (r"the file defines no `(.+)` \(it defines: (.+)\); the exercise asks for (.+)",
     r"文件中没有定义 `\1`（它定义了：\2）；本练习要求 \3"),
    (r"(.+) is (\S+), expected (\S+)", r"\1 为 \2，应为 \3"),
]
_COMPILED = [(re.compile(pattern), zh) for pattern, zh in _FORMS]


def _one(message: str) -> str:
    for prefix, zh in (("wrong gradient: ", "梯度错误："), ("gradient: ", "梯度："), ("not run: ", "未运行：")):
        if message.startswith(prefix):
            return zh + in_chinese(message[len(prefix):])
    if message == "not run":
        return "未运行"
    for pattern, zh in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            text = match.expand(zh)
            # paths inside a message ("the gradient of input `x`") are forms of their own
            for inner, inner_zh in _COMPILED[17:19]:
                text = inner.sub(inner_zh, text)
            return text
    return message


def in_chinese(message: str | None) -> str | None:
    """The Chinese wording of a verdict message (several are joined by "; ")."""
    if not message:
        return message
    text = "；".join(_one(part) for part in message.split("; "))
    return re.sub(r" \(line (\d+)\)", r"（第 \1 行）", text)
