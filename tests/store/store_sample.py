"""Test data for the store tests: a tiny bank of numeric questions (the answer to `<topic>-q<k>` is k)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOPICS = {"attention": 4, "training": 2}


def numeric_question(topic: str, k: int, prompt: str | None = None) -> str:
    """One numeric question whose answer is k."""
    return textwrap.dedent(f"""\
        - id: {topic}-q{k}
          topic: {topic}
          type: numeric
          difficulty: easy
          prompt: {{en: "{prompt or f'What is {k}?'}", zh: "{k} 是多少？"}}
          answer: {k}
          tolerance: {{abs: 0.1}}
          explanation: {{en: It is {k}., zh: 就是 {k}。}}
          sources:
            - ref: "test"
        """)


def write_tiny_bank(directory: Path, prompts: dict[str, str] | None = None) -> Path:
    """`attention-q1..q4` and `training-q1..q2`; `prompts` overrides the prompt of some ids."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources.yaml").write_text((REPO / "questions" / "sources.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    for topic, count in TOPICS.items():
        text = "".join(numeric_question(topic, k, (prompts or {}).get(f"{topic}-q{k}")) for k in range(1, count + 1))
        (directory / f"{topic}.yaml").write_text(text, encoding="utf-8")
    return directory


def answer_for(question_id: str) -> str:
    """The right answer to a tiny-bank question."""
    return question_id.rsplit("-q", 1)[1]


# Runs `llmprep ARGS` in a real process with the bank given as the first argument.
DRIVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import llmprep.paths
    bank = Path(sys.argv.pop(1))
    llmprep.paths.questions_dir = lambda: bank
    from llmprep.cli import main
    main()
""")


def start_quiz(bank: Path, home: Path, *args: str) -> subprocess.Popen:
    """A real `llmprep quiz ARGS` process reading answers from a pipe."""
    env = {**os.environ, "LLMPREP_HOME": str(home), "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(bank), "quiz", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
