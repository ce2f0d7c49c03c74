"""`llmprep doctor`: what this machine can run."""

from __future__ import annotations

import click
from rich.table import Table

from llmprep.console import get_console, json_option


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"


@click.command()
@json_option
def doctor(as_json: bool) -> None:
    """Check Python, torch, CUDA, ONNX Runtime providers, the exporter and the data directory.

    Each ONNX Runtime execution provider is tried for real on a tiny model: a provider
    is "working" only if a session created with it actually runs on it. Exit code 0 when
    quiz and check can work, 1 otherwise.
    """
    from llmprep.doctor import collect_report

    console = get_console()
    if not as_json:
        console.note("probing torch, onnxruntime and the exporter (a few seconds)...")
    report = collect_report()
    if as_json:
        console.emit_json(report)
    else:
        console.print(_table(report))
        for problem in report["problems"]:
            console.print(f"[red]✗[/red] {problem['what']}\n  fix: {problem['fix']}")
        ready = f"[green]ready for the {report['ready_for']}[/green]"
        console.print(ready if report["ok"] else "[red]not ready[/red]: see above")
    raise SystemExit(0 if report["ok"] else 1)


def _mark(ok: bool) -> str:
    return "[green]✓[/green]" if ok else "[red]✗[/red]"


def _table(report: dict) -> Table:
    table = Table(title="llmprep doctor", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("")
    table.add_column("details")
    py, plat, cpu = report["python"], report["platform"], report["cpu"]
    table.add_row("python", _mark(True), f"{py['version']} ({py['executable']})")
    table.add_row("platform", "", f"{plat['system']} {plat['release']} {plat['machine']}")
    table.add_row("cpu", "", f"{cpu['count']} cores, torch uses {cpu['torch_threads']} threads")
    torch = report["torch"]
    if torch.get("ok"):
        build = f"CUDA {torch['cuda_version']} build" if torch["cuda_build"] else "CPU-only build"
        table.add_row("torch", _mark(True), f"{torch['version']} ({build})")
        if torch["devices"]:
            for dev in torch["devices"]:
                table.add_row(
                    f"cuda:{dev['index']}", _mark(True),
                    f"{dev['name']}, compute capability {dev['capability']}, {_gib(dev['memory_bytes'])}",
                )
        else:
            table.add_row("GPU", "-", f"no GPU ({report['gpu']['why']})")
    else:
        table.add_row("torch", _mark(False), torch.get("error") or "not importable")
    table.add_row("numpy", "", str(report["numpy"]["version"]))
    table.add_row("onnx", "", str(report["onnx"]["version"]))
    ort = report["onnxruntime"]
    if ort.get("ok"):
        table.add_row("onnxruntime", _mark(True), f"{ort['version']} (package {ort['package']})")
        for provider in ort["providers"]:
            detail = "working" if provider["working"] else f"unavailable ({provider['reason']})"
            if not provider["working"] and not report["gpu"]["present"] and provider["name"] != "CPUExecutionProvider":
                detail = "not usable: no GPU"
            table.add_row(f"  {provider['name']}", _mark(provider["working"]), detail)
    else:
        table.add_row("onnxruntime", _mark(False), ort.get("error") or "not importable")
    cuda_ep = report["cuda_execution_provider"]
    if report["gpu"]["present"] or cuda_ep["status"] == "available":
        table.add_row(
            "CUDA execution provider", _mark(cuda_ep["status"] == "available"),
            cuda_ep["status"] + (f" ({cuda_ep['reason']})" if cuda_ep["reason"] else ""),
        )
        for name, wheel in (cuda_ep.get("libraries") or {}).get("missing", {}).items():
            table.add_row(f"  {name}", _mark(False), f"missing (pip install {wheel})")
    else:
        table.add_row("CUDA execution provider", "-", "not used: no GPU")
    export = report["onnx_export"]
    table.add_row(
        "torch.onnx export", _mark(export["ok"]),
        f"{export['exporter']} exporter, opset {export.get('opset')}" if export["ok"] else str(export.get("error")),
    )
    sandbox = report["sandbox"]
    table.add_row("check sandbox", _mark(sandbox.get("level") == "full"),
                  f"{sandbox.get('level')}: " + (", ".join(sandbox.get("enforced") or []) or "no isolation")
                  + ("; missing " + ", ".join(sandbox["not_enforced"]) if sandbox.get("not_enforced") else ""))
    data = report["data_dir"]
    table.add_row("data dir", _mark(data["writable"]), f"{data['path']}" + ("" if data["writable"] else " (not writable)"))
    content = report["content"]
    table.add_row("question bank", _mark(content["question_files"] > 0), f"{content['question_files']} topic files")
    table.add_row("exercises", "", f"{content['exercises']} exercises")
    return table
