"""The README's Quick start has exactly two commands, and CI runs the second one verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", section, re.S)
    return [block.strip() for block in blocks]


def test_quick_start_has_exactly_two_one_line_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_first_command_installs_and_runs_the_quiz():
    install_and_run = quick_start_commands()[0]
    assert "pip install -e ." in install_and_run
    assert install_and_run.endswith("llmprep quiz")


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = quick_start_commands()[1]
    assert "'.[test]'" in test_command and test_command.endswith("pytest")
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines
    assert ci_lines[ci_lines.index(test_command) - 1].startswith("#")
    assert "set -euo pipefail" in ci_lines
    assert "pip install --quiet torch==2.13.0" in ci_lines
