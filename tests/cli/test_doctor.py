"""doctor runs the real probes (torch, onnxruntime sessions, the exporter) once per test process
(tests/cli/conftest.py); --json and the human output are made from that result."""

import json

import pytest

pytestmark = pytest.mark.slow  # doctor probes the machine and exports to ONNX (16 s measured)


@pytest.fixture(scope="module")
def doctor_json(probed_once):
    from click.testing import CliRunner

    from llmprep.cli import cli

    with probed_once():
        result = CliRunner().invoke(cli, ["doctor", "--json"], catch_exceptions=False)
    return result, json.loads(result.stdout)


@pytest.fixture(scope="module")
def doctor_shown(probed_once):
    from click.testing import CliRunner

    from llmprep.cli import cli

    with probed_once():
        return CliRunner().invoke(cli, ["doctor"], catch_exceptions=False)


def test_doctor_json_has_the_documented_shape(doctor_json):
    result, report = doctor_json
    assert result.exit_code == (0 if report["ok"] else 1)
    for key in ("llmprep", "python", "platform", "cpu", "torch", "numpy", "onnx", "onnxruntime",
                "cuda_execution_provider", "onnx_export", "data_dir", "content", "problems", "ok"):
        assert key in report, key
    assert report["torch"]["ok"] is True
    assert report["cpu"]["count"] >= 1 and report["cpu"]["torch_threads"] >= 1
    assert report["data_dir"]["writable"] is True
    assert report["ok"] is True


def test_cpu_provider_really_runs(doctor_json):
    _, report = doctor_json
    providers = {p["name"]: p for p in report["onnxruntime"]["providers"]}
    assert providers["CPUExecutionProvider"]["working"] is True
    assert providers["CPUExecutionProvider"]["ran"] == ["CPUExecutionProvider"]


def test_every_listed_provider_is_reported_with_what_actually_ran(doctor_json):
    _, report = doctor_json
    ort = report["onnxruntime"]
    assert [p["name"] for p in ort["providers"]] == ort["listed_providers"]
    for provider in ort["providers"]:
        assert provider["working"] == (provider["name"] in provider["ran"])
        if not provider["working"]:
            assert provider["reason"], provider


def test_cuda_provider_is_never_claimed_without_a_gpu(doctor_json):
    _, report = doctor_json
    if report["torch"]["cuda_available"]:
        pytest.skip("this machine has a GPU: the CUDA provider may really work here")
    status = report["cuda_execution_provider"]
    assert status["status"] == "unavailable"
    assert status["reason"]


def test_exporter_works(doctor_json):
    _, report = doctor_json
    assert report["onnx_export"]["ok"] is True
    assert report["onnx_export"]["opset"] >= 17


def test_doctor_human_output_keeps_onnxruntime_logs_off_screen(doctor_shown):
    result = doctor_shown
    assert result.exit_code == 0
    assert "CPUExecutionProvider" in result.stdout
    # onnxruntime's own error log (and its Python-side "EP Error" banner) must not leak through.
    for leaked in ("[E:onnxruntime", "EP Error", "Falling back to"):
        assert leaked not in result.output
    assert "ready" in result.stdout


def test_without_a_gpu_doctor_says_no_gpu_plainly_and_is_ready_for_the_cpu(doctor_json, doctor_shown):
    _, report = doctor_json
    if report["torch"]["cuda_available"]:
        pytest.skip("this machine has a GPU")
    assert report["gpu"] == {"present": False, "summary": "no GPU", "why": report["gpu"]["why"]}
    assert report["cuda_execution_provider"]["reason"] == "no GPU"
    assert report["ready_for"] == "CPU"
    shown = doctor_shown.stdout
    assert "no GPU" in shown and "ready for the CPU" in shown
    assert ".so." not in shown  # no loader message about a CUDA library on a machine that has no GPU


def test_missing_cuda_libraries_name_the_wheel_that_ships_them(monkeypatch):
    from llmprep import doctor

    monkeypatch.setattr(doctor, "_ldconfig_names", lambda: {"libcudart.so.13"})
    monkeypatch.setattr(doctor, "_library_folders", lambda: [])
    libraries = doctor.ort_cuda_libraries()
    assert libraries["found"] == {"libcudart.so.13": "system (ldconfig)"}
    assert libraries["missing"]["libcudnn.so.9"] == "nvidia-cudnn-cu13"
    assert libraries["missing"]["libcublasLt.so.13"] == "nvidia-cublas"
    assert libraries["fix"].startswith("pip install ") and "nvidia-cudnn-cu13" in libraries["fix"]
