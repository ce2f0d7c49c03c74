import sys

import pytest

from llmprep.paths import data_dir, questions_dir


def test_data_dir_is_LLMPREP_HOME_created_on_first_use(llmprep_home):
    assert not llmprep_home.exists()
    assert data_dir() == llmprep_home
    assert llmprep_home.is_dir()


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME is the Linux convention")
def test_data_dir_falls_back_to_platform_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("LLMPREP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir(create=False) == tmp_path / "xdg" / "llmprep"


def test_unwritable_data_dir_is_a_user_error(monkeypatch, tmp_path):
    from llmprep.errors import UserError

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LLMPREP_HOME", str(blocker / "home"))
    with pytest.raises(UserError) as info:
        data_dir()
    assert "LLMPREP_HOME" in info.value.fix


def test_question_bank_is_found():
    assert (questions_dir() / "sources.yaml").is_file()
