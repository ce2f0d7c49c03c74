"""Every string the quiz shows a person, in English and Chinese (one table per language).

`words(lang)` is the table; a test checks both tables have the same keys and the same
`{placeholders}`, so a zh session never falls back to English.
"""

from __future__ import annotations

EN: dict[str, str] = {
    # Reading answers.
    "prompt_choice": "answer (letter or number):", "prompt_multi": "answers (all that apply, e.g. a,c):",
    "prompt_order": "order (e.g. c a b d):", "prompt_numeric": "number:", "prompt_short": "your answer:",
    "rate_self": "how did it go? 1 again · 2 hard · 3 good · 4 easy:",
    "rate_after": "rate it? 2 hard · 3 good · 4 easy [Enter: {default}]:", "prompt_good": "good",
    "not_a_choice": "{token!r} is not a choice: type a letter a-{last} or a number 1-{count}",
    "exactly_one": "choose exactly one choice", "empty": "empty answer",
    "every_once": "list every choice exactly once, in order (e.g. {example})",
    "no_percent": "this question does not ask for a percentage: type the plain number",
    "not_a_number": "{text!r} is not a number (examples: {examples})",
    "shape_vector": "{n} numbers separated by spaces (e.g. 0.1 0.2 0.3)",
    "shape_matrix": "{rows} rows of {columns} numbers, rows separated by ';' (e.g. 0.1 0.2; 0.3 0.4)",
    "bad_entry": "{token!r} is not a number; type {expected}", "wrong_count": "expected {expected}; got {count} number(s)",
    "in_rows": " in {rows} rows",
    "undecodable": "that line is not valid UTF-8 text", "too_long": "that answer is too long",
    "counted_wrong": "not an answer ({reason}); counted as wrong",
    "not_rated": "not rated: the line after a short answer is its rating (1-4); none was given",
    # Feedback.
    "right": "✓ right", "wrong": "✗ wrong", "ungraded": "– not graded", "rated": "rated {rating}",
    "missed": "missed: {labels}", "extra": "not correct: {labels}",
    "first_wrong": "position {position} should be {want}, you put {given}",
    "within": "within {tolerance}", "close": "close: off by {off}, but the answer needs {tolerance}",
    "off": "off by {off}; the answer needs {tolerance}", "entry": "entry {number}: ",
    "accepted": "accepted within {tolerance}", "mentioned": "you mentioned {mentioned} of {total} key points",
    "key_points": "Key points", "hint": "hint",
    # The question card.
    "question": "Question {position}/{total}", "answer": "Answer", "model": "Model answer",
    "why": "Explanation", "source": "Source", "source_error": "Where the source is wrong",
    "unit": "unit", "fraction": "a fraction: 0.25 or 25% both work", "line": "line {span}", "lines": "lines {span}",
    "easy": "easy", "medium": "medium", "hard": "hard",
    "choice": "choice", "multi": "multi", "numeric": "numeric", "short": "short", "order": "order",
    # The end of a session.
    "stopped": "session ended early: {answered} of {total} answered", "topic": "topic", "answered": "answered",
    "score": "score", "total": "total", "time": "time", "again_col": "again",
    "due_now": "{count} review(s) due now", "next_due": "next review {when}", "nothing_due": "no reviews scheduled",
    "streak": "streak: {days} day(s) in a row", "due_today": "{count} more due within 24 h",
}

ZH: dict[str, str] = {
    "prompt_choice": "你的答案（字母或序号）：", "prompt_multi": "你的答案（全部正确项，如 a,c）：",
    "prompt_order": "顺序（如 c a b d）：", "prompt_numeric": "数值：", "prompt_short": "你的回答：",
    "rate_self": "答得如何？1 重来 · 2 困难 · 3 良好 · 4 简单：",
    "rate_after": "自评？2 困难 · 3 良好 · 4 简单 [回车：{default}]：", "prompt_good": "良好",
    "not_a_choice": "{token!r} 不是选项：请输入字母 a-{last} 或序号 1-{count}",
    "exactly_one": "只能选一个选项", "empty": "答案为空",
    "every_once": "请按顺序列出每个选项，每个恰好一次（如 {example}）",
    "no_percent": "这道题不要求百分比：请直接输入数值",
    "not_a_number": "{text!r} 不是数字（例如：{examples}）",
    "shape_vector": "{n} 个数，用空格分隔（如 0.1 0.2 0.3）",
    "shape_matrix": "{rows} 行、每行 {columns} 个数，行与行之间用“;”分隔（如 0.1 0.2; 0.3 0.4）",
    "bad_entry": "{token!r} 不是数字；请输入 {expected}", "wrong_count": "应输入 {expected}；实际 {count} 个数",
    "in_rows": "，分成 {rows} 行",
    "undecodable": "这一行不是有效的 UTF-8 文本", "too_long": "答案太长",
    "counted_wrong": "不是有效答案（{reason}）；记为错误",
    "not_rated": "未自评：简答题之后的一行应是自评（1-4），但没有给出",
    "right": "✓ 正确", "wrong": "✗ 错误", "ungraded": "– 未评分", "rated": "自评 {rating}",
    "missed": "漏选：{labels}", "extra": "多选（不正确）：{labels}",
    "first_wrong": "第 {position} 位应是 {want}，你填的是 {given}",
    "within": "误差在 {tolerance} 以内", "close": "接近：偏差 {off}，但要求 {tolerance}",
    "off": "偏差 {off}；要求 {tolerance}", "entry": "第 {number} 项：",
    "accepted": "允许误差 {tolerance}", "mentioned": "你提到了 {total} 个要点中的 {mentioned} 个",
    "key_points": "要点", "hint": "提示",
    "question": "第 {position}/{total} 题", "answer": "答案", "model": "参考答案",
    "why": "解析", "source": "出处", "source_error": "原文的错误",
    "unit": "单位", "fraction": "比例：0.25 或 25% 均可", "line": "第 {span} 行", "lines": "第 {span} 行",
    "easy": "简单", "medium": "中等", "hard": "困难",
    "choice": "单选", "multi": "多选", "numeric": "数值", "short": "简答", "order": "排序",
    "stopped": "提前结束：已答 {answered} / {total} 题", "topic": "主题", "answered": "已答",
    "score": "得分", "total": "合计", "time": "用时", "again_col": "重来",
    "due_now": "现在有 {count} 道待复习", "next_due": "下次复习：{when}", "nothing_due": "暂无复习安排",
    "streak": "已连续学习 {days} 天", "due_today": "24 小时内还有 {count} 道到期",
}

TABLES = {"en": EN, "zh": ZH}


def words(lang: str) -> dict[str, str]:
    """The strings of `lang` ("en" or "zh"; anything else gets English)."""
    return TABLES.get(lang, EN)
