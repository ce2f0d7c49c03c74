"""A quiz driven through a real terminal (tmux, 110x50), in English and in Chinese.

The quiz is typed into as a person would: the prompt, the feedback, the self-grade of a short
answer, the summary. Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from llmprep.quiz.answers import correct_answer_text
from llmprep.quiz.bank import load_bank
from llmprep.quiz.session import choice_order_for

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux to drive a real terminal")]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Terminal:
    """One tmux session on a private server, running one command."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.socket = f"llmprep-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        line = f"env {exports} {' '.join(command)}; echo '[exited]'; sleep 60"
        self.tmux("new-session", "-d", "-s", "quiz", "-x", "110", "-y", "50", line)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", "quiz")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The screen once `text` is on it (polling; a limit only so a broken quiz fails instead of hanging)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "quiz", "-l", text)
        self.tmux("send-keys", "-t", "quiz", "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_terminal(*args: str) -> Terminal:
        env = {"LLMPREP_HOME": str(tmp_path / "home"), "PYTHONPATH": REPO, "TERM": "xterm-256color",
               "LANG": "C.UTF-8", "NO_COLOR": "1"}
        opened.append(Terminal([sys.executable, "-m", "llmprep", *args], env))
        return opened[-1]

    yield open_terminal
    for terminal in opened:
        terminal.close()


def test_an_english_multi_question_says_what_was_missed_then_a_right_one_may_be_rated(terminal):
    bank = load_bank()
    question = next(q for q in bank.questions if q.type == "multi")
    order = choice_order_for(question, 5)
    right = correct_answer_text(question, order, "en").replace(" ", "")
    screen = terminal("quiz", "--id", question.id, "--seed", "5", "--lang", "en")
    screen.wait_for("answers (all that apply")
    screen.type(right.split(",")[0])  # only the first correct letter
    shown = screen.wait_for("score (seed 5)")
    assert "✗ wrong" in shown and "missed: " + ", ".join(right.split(",")[1:]) in shown
    assert "streak: 1 day(s) in a row" in screen.wait_for("[exited]")

    again = terminal("quiz", "--id", question.id, "--seed", "5", "--lang", "en")
    again.wait_for("answers (all that apply")
    again.type(right)
    again.wait_for("rate it? 2 hard · 3 good · 4 easy [Enter: good]")
    again.type("4")
    assert "✓ right" in again.wait_for("[exited]")


def test_a_chinese_short_answer_is_graded_by_the_person(terminal):
    screen = terminal("quiz", "--id", "transformer-block-residual-purpose", "--lang", "zh")
    screen.wait_for("你的回答：")
    screen.type("它是额外的一层，让模型更深")
    shown = screen.wait_for("答得如何？1 重来 · 2 困难 · 3 良好 · 4 简单：")
    assert "参考答案:" in shown and "要点:" in shown and "你提到了 2 个要点中的" in shown
    screen.type("也许")  # not a rating: asked again
    screen.type("1")
    done = screen.wait_for("[exited]")
    assert "✗ 错误" in done and "自评 1" in done and "已连续学习 1 天" in done
    english_words = [word for word in ("right", "wrong", "Question", "answer:", "Explanation", "Source:")
                     if word in done]
    assert english_words == []
