"""The bank's hard-wrapped text is joined into paragraphs before the terminal wraps it."""

from llmprep.quiz.view import reflow


def test_wrapped_english_lines_join_with_a_space():
    assert reflow("The gradient is an average\nof B examples.") == "The gradient is an average of B examples."


def test_wrapped_chinese_lines_join_without_a_space():
    assert reflow("小批量梯度是平均，\n方差按 1/B 下降。") == "小批量梯度是平均，方差按 1/B 下降。"


def test_paragraphs_list_items_and_indented_lines_keep_their_breaks():
    text = "Steps:\n- zero the grads\n- backward\n\nThen:\n    y = LN(x)\nDone\nhere."
    assert reflow(text) == "Steps:\n- zero the grads\n- backward\n\nThen:\n    y = LN(x)\nDone here."


def test_numbered_items_keep_their_breaks():
    assert reflow("Two reasons\n1. speed\n2) memory") == "Two reasons\n1. speed\n2) memory"
