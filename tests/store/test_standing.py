"""What `progress` shows of the bench: per device, the largest size measured of each exercise × backend."""

from llmprep.standing.report import best_per_backend, size_magnitude


def test_size_names_compare_by_their_numbers_not_as_text():
    assert size_magnitude("T=2048") > size_magnitude("T=512") > size_magnitude("T=128")
    assert size_magnitude("B4 H8 T128 D64") == 4 * 8 * 128 * 64
    assert size_magnitude({"T": 512, "B": 2}) == 1024
    assert size_magnitude("default") == 0


def test_the_largest_size_is_shown_even_when_a_smaller_one_was_faster():
    rows = [
        {"device_name": "cpu", "exercise": "softmax", "backend": "torch", "size": size, "dtype": "float32",
         "median_ms": median}
        for size, median in (("N=512", 0.1), ("N=2048", 1.5), ("N=1024", 0.7))
    ]
    shown = best_per_backend(rows)
    assert [row["size"] for row in shown["cpu"]] == ["N=2048"]
