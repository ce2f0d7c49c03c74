"""`llmprep doctor`: what this machine can run."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from llmprep.console import get_console, json_option


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"


@click.command()
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the report.")
@json_option
def doctor(lang: str | None, as_json: bool) -> None:
    """Check Python, torch, CUDA, ONNX Runtime providers, the exporter and the data directory.

    Each ONNX Runtime execution provider is tried for real on a tiny model: a provider
    is "working" only if a session created with it actually runs on it. Exit code 0 when
    quiz and check can work, 1 otherwise.
    """
    from llmprep.doctor import collect_report
    from llmprep.language import default_language
    from llmprep.messages import in_language, translator

    lang = lang or default_language()
    _ = translator(lang)
    console = get_console()
    if not as_json:
        console.note(_("doctor.probing"))
    report = collect_report()
    if as_json:
        console.emit_json(report)
    else:
        console.print(_table(report, _, lang))
        for problem in report["problems"]:
            what, fix = (escape(in_language(problem[k], lang)) for k in ("what", "fix"))
            console.print(f"[red]✗[/red] {what}\n  " + _("doctor.fix", fix=fix))
        target = _("doctor.cpu_and_gpu") if report["gpu"]["present"] else _("doctor.cpu_only")
        ready = "[green]" + _("doctor.ready", target=target) + "[/green]"
        console.print(ready if report["ok"] else "[red]" + _("doctor.not_ready") + "[/red]")
    raise SystemExit(0 if report["ok"] else 1)


def _mark(ok: bool) -> str:
    return "[green]✓[/green]" if ok else "[red]✗[/red]"


def _table(report: dict, _, lang: str) -> Table:
    from llmprep.messages import in_language

    table = Table(title="llmprep doctor", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("")
    table.add_column("details")
    py, plat, cpu = report["python"], report["platform"], report["cpu"]
    table.add_row("python", _mark(True), f"{py['version']} ({py['executable']})")
    table.add_row(_("doctor.platform"), "", f"{plat['system']} {plat['release']} {plat['machine']}")
    table.add_row("cpu", "", _("doctor.cores", count=cpu["count"], threads=cpu["torch_threads"]))
    torch = report["torch"]
    if torch.get("ok"):
        build = _("doctor.cuda_build", version=torch["cuda_version"]) if torch["cuda_build"] else _("doctor.cpu_build")
        table.add_row("torch", _mark(True), f"{torch['version']} ({build})")
        if torch["devices"]:
            for dev in torch["devices"]:
                table.add_row(f"cuda:{dev['index']}", _mark(True),
                              _("doctor.device", name=dev["name"], capability=dev["capability"],
                                memory=_gib(dev["memory_bytes"])))
        else:
            table.add_row("GPU", "-", _("doctor.no_gpu", why=in_language(report["gpu"]["why"], lang)))
    else:
        table.add_row("torch", _mark(False), torch.get("error") or _("doctor.not_importable"))
    table.add_row("numpy", "", str(report["numpy"]["version"]))
    table.add_row("onnx", "", str(report["onnx"]["version"]))
    ort = report["onnxruntime"]
    if ort.get("ok"):
        table.add_row("onnxruntime", _mark(True), _("doctor.package", version=ort["version"], package=ort["package"]))
        for provider in ort["providers"]:
            detail = _("doctor.working") if provider["working"] else _("doctor.unavailable", reason=provider["reason"])
            if not provider["working"] and not report["gpu"]["present"] and provider["name"] != "CPUExecutionProvider":
                detail = _("doctor.not_usable")
            table.add_row(f"  {provider['name']}", _mark(provider["working"]), detail)
    else:
        table.add_row("onnxruntime", _mark(False), ort.get("error") or _("doctor.not_importable"))
    cuda_ep = report["cuda_execution_provider"]
    if report["gpu"]["present"] or cuda_ep["status"] == "available":
        status = _("doctor.available") if cuda_ep["status"] == "available" else _("doctor.unavailable_status")
        table.add_row(_("doctor.cuda_ep"), _mark(cuda_ep["status"] == "available"),
                      status + (f" ({cuda_ep['reason']})" if cuda_ep["reason"] else ""))
        for name, wheel in (cuda_ep.get("libraries") or {}).get("missing", {}).items():
            table.add_row(f"  {name}", _mark(False), _("doctor.missing_library", wheel=wheel))
    else:
        table.add_row(_("doctor.cuda_ep"), "-", _("doctor.not_used"))
    export = report["onnx_export"]
    table.add_row(_("doctor.export"), _mark(export["ok"]),
                  _("doctor.exporter", exporter=export["exporter"], opset=export.get("opset")) if export["ok"]
                  else str(export.get("error")))
    sandbox = report["sandbox"]
    table.add_row(_("doctor.sandbox"), _mark(sandbox.get("level") == "full"),
                  f"{sandbox.get('level')}: " + (", ".join(sandbox.get("enforced") or []) or _("doctor.no_isolation"))
                  + (_("doctor.sandbox_missing", layers=", ".join(sandbox["not_enforced"]))
                     if sandbox.get("not_enforced") else ""))
    data = report["data_dir"]
    table.add_row(_("doctor.data_dir"), _mark(data["writable"]),
                  f"{data['path']}" + ("" if data["writable"] else _("doctor.not_writable")))
    content = report["content"]
    table.add_row(_("doctor.bank"), _mark(content["question_files"] > 0),
                  _("doctor.topic_files", count=content["question_files"]))
    table.add_row(_("doctor.exercises"), "", _("doctor.exercise_count", count=content["exercises"]))
    return table
