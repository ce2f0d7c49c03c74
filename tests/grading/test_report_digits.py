"""The worst element's expected and got values are shown with enough digits to differ."""

from llmprep.grading.report import _distinct_numbers


def test_close_numbers_get_more_digits():
    assert _distinct_numbers(-2.5267, -2.5255) == ("-2.527", "-2.526")


def test_far_numbers_keep_three_digits():
    assert _distinct_numbers(0.471, 0.411) == ("0.471", "0.411")


def test_non_floats_and_equal_values_pass_through():
    assert _distinct_numbers(None, 1.0) == ("-", "1")
    assert _distinct_numbers(1.5, 1.5) == ("1.5", "1.5")
