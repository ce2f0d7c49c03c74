"""The shape of the package: no import circles, no module over 400 lines, layers that stay apart."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "llmprep"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported_modules(name: str) -> set[str]:
    """Every llmprep module `name` imports, at the top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:  # `from llmprep.x import name` names a module or a name in x
                target = target.rpartition(".")[0]
            if target.startswith("llmprep") and target != name:
                found.add(target)
    return found


GRAPH = {name: imported_modules(name) for name in MODULES}


def find_cycle() -> list[str] | None:
    """One import circle as a path of module names, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        stack.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        state[name] = "done"
        stack.pop()
        return None

    for name in sorted(GRAPH):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_the_finder_sees_a_circle_when_there_is_one():
    GRAPH["llmprep.errors"].add("llmprep.cli")
    try:
        assert find_cycle() is not None
    finally:
        GRAPH["llmprep.errors"] = imported_modules("llmprep.errors")


def test_no_import_circles():
    assert find_cycle() is None, " -> ".join(find_cycle() or [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines: split it by concern"


def test_bench_reaches_grading_only_through_its_public_face():
    for name in MODULES:
        if name.startswith("llmprep.bench"):
            deep = {other for other in GRAPH[name] if other.startswith("llmprep.grading.")}
            assert not deep, f"{name} imports {sorted(deep)}; use `from llmprep.grading import ...`"


def test_engines_never_import_the_command_line():
    for name in MODULES:
        if name.startswith(("llmprep.quiz", "llmprep.grading", "llmprep.bench", "llmprep.execution")):
            assert not {other for other in GRAPH[name] if other.startswith("llmprep.cli")}, name
