"""What people read after `llmprep check`: a table of cases, the first failure, the diagnosis.

Builds rich renderables; the CLI prints them through the console.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from llmprep.grading.check import CheckReport
from llmprep.grading.compare import CaseResult
from llmprep.grading.wording import case_error_in_chinese, exercise_forms, in_chinese, traceback_in_chinese

MESSAGES = {
    "en": {
        "title": "llmprep check {exercise}: {file}",
        "case": "case", "inputs": "inputs", "ok": "ok", "abs": "max abs err", "rel": "max rel err",
        "passed": "PASSED: {n} of {n} cases ({dtype}, {device}) in {seconds:.1f} s",
        "failed": "FAILED: {bad} of {n} cases ({dtype}, {device}), seed {seed}",
        "first": "First failure: case {name} ({shapes})",
        "worst": "worst element {index}: expected {expected}, got {got} (allowed error {allowed})",
        "reproduce": "Reproduce: {command}",
        "diagnosis": "Diagnosis",
        "no_diagnosis": "No classic mistake reproduces this output.",
        "analysis": "What the analysis found (no listed mistake reproduces this output):",
        "hint": "Stuck? `llmprep hint {exercise}` (add --level 2, 3 for more).",
        "stdout": "Your code printed (stdout, trimmed):",
        "stderr": "Your code wrote to stderr (trimmed):",
        "problem": "Problem: {problem}",
        "next": "Next: `llmprep bench {file}` to time it, or `llmprep solution {exercise}` to compare with the reference.",
    },
    "zh": {
        "title": "llmprep check {exercise}：{file}",
        "case": "用例", "inputs": "输入", "ok": "结果", "abs": "最大绝对误差", "rel": "最大相对误差",
        "passed": "通过：{n}/{n} 个用例（{dtype}，{device}），用时 {seconds:.1f} 秒",
        "failed": "未通过：{n} 个用例中 {bad} 个失败（{dtype}，{device}），种子 {seed}",
        "first": "第一个失败的用例：{name}（{shapes}）",
        "worst": "误差最大的元素 {index}：期望 {expected}，实际 {got}（允许误差 {allowed}）",
        "reproduce": "复现：{command}",
        "diagnosis": "诊断",
        "no_diagnosis": "没有哪个常见错误能复现这个输出。",
        "analysis": "分析结果（没有哪个已列出的常见错误能复现这个输出）：",
        "hint": "卡住了？运行 `llmprep hint {exercise}`（加 --level 2、3 看更多提示）。",
        "stdout": "你的代码输出（stdout，已截断）：",
        "stderr": "你的代码写入 stderr（已截断）：",
        "problem": "问题：{problem}",
        "next": "下一步：`llmprep bench {file}` 测速，或 `llmprep solution {exercise}` 对照参考答案。",
    },
}


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _distinct_numbers(expected: Any, got: Any) -> tuple[str, str]:
    """Both numbers with enough digits to tell them apart ("-2.5267" vs "-2.5255", not "-2.53" twice)."""
    if not (isinstance(expected, float) and isinstance(got, float)) or expected == got:
        return _number(expected), _number(got)
    for digits in range(3, 18):
        a, b = f"{expected:.{digits}g}", f"{got:.{digits}g}"
        if a != b:
            return a, b
    return repr(expected), repr(got)


def _trim(text: str, lines: int = 15) -> str:
    rows = text.rstrip().splitlines()
    return "\n".join((["…"] if len(rows) > lines else []) + rows[-lines:])


def reproduce_command(report: CheckReport) -> str:
    """The command that runs this check again on the same cases."""
    parts = ["llmprep", "check", str(report.submission), "--exercise", report.exercise.id, "--seed", str(report.seed)]
    if report.dtype != "float32":
        parts += ["--dtype", report.dtype]
    if report.device != "cpu":
        parts += ["--device", report.device]
    return shlex.join(parts)


def _traceback_without_message(traceback: str | None, message: str) -> str:
    """The traceback's frames, without its last line when that line is the message shown above it."""
    rows = (traceback or "").rstrip().splitlines()
    # the last line may name the exception with its module ("llmprep_harness.ScoreMatrixTooLarge: ...")
    while rows and rows[-1].strip() and re.sub(r"^[\w.]+\.(?=\w+: )", "", rows[-1].strip()) in message:
        rows.pop()
    half = len(rows) // 2
    if half and rows[:half] == rows[half:]:  # a syntax error's location comes twice
        rows = rows[:half]
    return "\n".join(rows)


def _problem(report: CheckReport, m: dict, lang: str) -> list[Any]:
    """A file that did not import or defines no entry: the message and its traceback once, nothing else."""
    from rich.text import Text

    out = [Text(m["title"].format(exercise=report.exercise.id, file=report.submission.name), style="bold"),
           Text(m["problem"].format(problem=in_chinese(report.problem) if lang == "zh" else report.problem),
                style="red")]
    frames = _traceback_without_message(report.problem_traceback, report.problem or "")
    if frames:
        out.append(Text(_trim(traceback_in_chinese(frames) if lang == "zh" else frames, 20)))
    out.append(Text(m["hint"].format(exercise=report.exercise.id), style="dim"))
    return out


def render_report(report: CheckReport, lang: str = "en") -> list[Any]:
    """Rich renderables for the report, in `lang`."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    m = MESSAGES.get(lang, MESSAGES["en"])
    forms = exercise_forms(report.exercise) if lang == "zh" else []

    def said(message: str | None, case: CaseResult | None = None) -> str:
        if lang != "zh" or not message:
            return message or ""
        if case is not None:
            return case_error_in_chinese(message, case.error_type, case.error_line, forms)
        return in_chinese(message, forms) or ""

    if report.problem:
        out = _problem(report, m, lang)
    else:
        out = []
        table = Table(title=m["title"].format(exercise=report.exercise.id, file=report.submission.name),
                      title_justify="left")
        for column in (m["case"], m["inputs"], m["ok"], m["abs"], m["rel"]):
            table.add_column(column, justify="right" if column in (m["abs"], m["rel"]) else "left")
        for case in report.cases:
            mark = "[green]✓[/green]" if case.passed else "[red]✗[/red]"
            table.add_row(escape(case.name), escape(case.shapes), mark, _number(case.max_abs_err),
                          _number(case.max_rel_err))
        out.append(table)
        out += _verdict(report, m, lang, said)
    for key, text in (("stdout", report.stdout), ("stderr", report.stderr)):
        if text.strip():
            out.append(Text(m[key], style="dim"))
            out.append(Text(_trim(text)))
    return out


def _finding(text: str, report: CheckReport, said) -> str:
    """A finding's text, with the case errors it quotes (English: the verdicts' own) in the reader's language."""
    for case in report.cases:
        if case.error and case.error in text:
            text = text.replace(case.error, said(case.error, case))
    return text


def _verdict(report: CheckReport, m: dict, lang: str, said) -> list[Any]:
    from rich.text import Text

    out: list[Any] = []
    failure = report.first_failure
    if report.passed:
        out.append(Text(m["passed"].format(n=len(report.cases), dtype=report.dtype, device=report.device,
                                           seconds=report.duration_s), style="bold green"))
        out.append(Text(m["next"].format(file=report.submission.name, exercise=report.exercise.id), style="dim"))
        return out
    bad = sum(not c.passed for c in report.cases)
    out.append(Text(m["failed"].format(bad=bad, n=len(report.cases), dtype=report.dtype, device=report.device,
                                       seed=report.seed), style="bold red"))
    if failure is not None:
        out.append(Text(m["first"].format(name=failure.name, shapes=failure.shapes), style="bold"))
        out.append(Text("  " + said(failure.error, failure)))
        frames = _traceback_without_message(failure.traceback, failure.error or "")
        if frames:
            out.append(Text(_trim(traceback_in_chinese(frames) if lang == "zh" else frames, 12)))
        detail = failure.detail
        if detail and detail.get("index") is not None:
            expected, got = _distinct_numbers(detail.get("expected"), detail.get("got"))
            out.append(Text("  " + m["worst"].format(index=detail["index"], expected=expected, got=got,
                                                      allowed=_number(detail.get("allowed")))))
    # a command is copied whole: never broken over two lines
    out.append(Text(m["reproduce"].format(command=reproduce_command(report)), no_wrap=True, overflow="ignore"))
    if report.diagnosis:
        out.append(Text(m["diagnosis"], style="bold yellow"))
        for diagnosis in report.diagnosis:
            out.append(Text(f"  • {diagnosis.message}  [{diagnosis.id}]"))
    elif report.findings:
        out.append(Text(m["analysis"], style="bold yellow"))
        for finding in report.findings:
            out.append(Text(f"  • {_finding(finding.message(lang), report, said)}"))
    else:
        out.append(Text(m["no_diagnosis"]))
    out.append(Text(m["hint"].format(exercise=report.exercise.id), style="dim"))
    return out
