"""Which trees the worker may read: Landlock grants whole trees, so protected ones are carved out."""

from llmprep.execution.isolation import readable_paths


def _tree(root, *paths):
    for path in paths:
        (root / path).mkdir(parents=True)
    return root


def test_a_protected_folder_inside_a_readable_root_is_carved_out(tmp_path):
    _tree(tmp_path, "site/torch", "site/llmprep", "site/numpy")
    allowed = readable_paths([str(tmp_path / "site")], [str(tmp_path / "site/llmprep")])
    assert allowed == [str(tmp_path / "site/numpy"), str(tmp_path / "site/torch")]


def test_a_venv_inside_the_protected_checkout_stays_readable(tmp_path):
    # The README's Quick start makes .venv inside the clone; the clone itself is protected.
    _tree(tmp_path, "clone/.venv/lib/site-packages/torch", "clone/exercises/softmax", "clone/llmprep")
    venv = tmp_path / "clone/.venv"
    allowed = readable_paths([str(venv)], [str(tmp_path / "clone"), str(tmp_path / "clone/exercises")])
    assert allowed == [str(venv)]


def test_a_root_that_is_itself_protected_is_not_readable(tmp_path):
    _tree(tmp_path, "clone/exercises")
    assert readable_paths([str(tmp_path / "clone")], [str(tmp_path / "clone")]) == []


def test_a_protected_tree_inside_a_root_inside_a_protected_tree_is_still_carved_out(tmp_path):
    _tree(tmp_path, "clone/.venv/lib/llmprep", "clone/.venv/lib/torch")
    allowed = readable_paths([str(tmp_path / "clone/.venv")],
                             [str(tmp_path / "clone"), str(tmp_path / "clone/.venv/lib/llmprep")])
    assert allowed == [str(tmp_path / "clone/.venv/lib/torch")]
