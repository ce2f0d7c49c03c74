"""The hardware's limits, for the roofline: a table of GPU peaks; the CPU's come from cpu_peak.py.

GPU figures are dense (no 2:4 sparsity) tensor-core throughput in TFLOP/s and memory bandwidth
in TB/s, from NVIDIA's datasheets:
- H100 SXM / PCIe: "NVIDIA H100 Tensor Core GPU" datasheet (2023): SXM bf16/fp16 989.4, tf32 494.7,
  fp32 66.9, 3.35 TB/s; PCIe bf16/fp16 756.5, tf32 378, fp32 51.2, 2.0 TB/s.
- H200 SXM: "NVIDIA H200 Tensor Core GPU" datasheet (2024): compute as H100 SXM, 4.8 TB/s.
- A100 SXM4 80GB / 40GB: "NVIDIA A100 Tensor Core GPU" datasheet (2021): bf16/fp16 312, tf32 156,
  fp32 19.5; 2.039 TB/s (80GB SXM), 1.935 TB/s (80GB PCIe), 1.555 TB/s (40GB).
- L4: "NVIDIA L4 Tensor Core GPU" datasheet (2023): bf16/fp16 121 (242 is with sparsity),
  tf32 60, fp32 30.3, 0.3 TB/s.
- RTX 4090: "NVIDIA Ada GPU Architecture" whitepaper v2.1, appendix table: fp16/bf16 tensor with
  fp32 accumulate 165.2, tf32 82.6, fp32 82.6, 1.008 TB/s.
The datasheets' dense figures are the ones that matter for the fraction of peak.
"""

from __future__ import annotations

from dataclasses import dataclass

from llmprep.messages import said


@dataclass(frozen=True)
class DevicePeak:
    """Peak dense throughput per dtype (FLOP/s) and memory bandwidth (bytes/s) of one device."""

    name: str
    flops: dict[str, float]
    bytes_per_s: float                                  # main memory
    source: str                                         # "datasheet" or "hardware"
    # (level, capacity in bytes, bytes/s), smallest first: a working set that fits a cache level
    # is held against that level's bandwidth. Empty on GPUs (their L2 is flushed before each call).
    levels: tuple[tuple[str, int, float], ...] = ()

    def bandwidth_for(self, working_set: int | None) -> tuple[float, str]:
        """(bytes/s, level) of the smallest memory level that holds `working_set` bytes."""
        for level, capacity, rate in self.levels:
            if working_set is not None and working_set <= capacity:
                return rate, level
        return self.bytes_per_s, "DRAM" if self.levels else "HBM/GDDR"


def _gpu(name: str, bf16: float, tf32: float, fp32: float, tbps: float) -> DevicePeak:
    tera = 1e12
    return DevicePeak(
        name=name,
        flops={"bfloat16": bf16 * tera, "float16": bf16 * tera, "tf32": tf32 * tera,
               "float32": fp32 * tera, "float64": fp32 * tera / 2},
        bytes_per_s=tbps * tera,
        source="datasheet",
    )


# (substrings that must all be in torch.cuda.get_device_name(), the device's peaks)
GPU_PEAKS: list[tuple[tuple[str, ...], DevicePeak]] = [
    (("H200",), _gpu("H200 SXM", 989.4, 494.7, 66.9, 4.8)),
    (("H100", "PCIe"), _gpu("H100 PCIe", 756.5, 378.0, 51.2, 2.0)),
    (("H100",), _gpu("H100 SXM", 989.4, 494.7, 66.9, 3.35)),
    (("A100", "80GB", "PCIE"), _gpu("A100 PCIe 80GB", 312.0, 156.0, 19.5, 1.935)),
    (("A100", "80GB"), _gpu("A100 SXM 80GB", 312.0, 156.0, 19.5, 2.039)),
    (("A100",), _gpu("A100 40GB", 312.0, 156.0, 19.5, 1.555)),
    (("L4",), _gpu("L4", 121.0, 60.0, 30.3, 0.3)),
    (("4090",), _gpu("RTX 4090", 165.2, 82.6, 82.6, 1.008)),
]


def gpu_peak(device_name: str) -> DevicePeak | None:
    """The datasheet peaks for a CUDA device name, or None for a GPU not in the table."""
    upper = device_name.upper()
    for needles, peak in GPU_PEAKS:
        if all(n.upper() in upper for n in needles):
            return peak
    return None


def cpu_peak(dtype: str, threads: int) -> tuple[DevicePeak, dict]:
    """The CPU's peak from its flags and clock, and its triad bandwidths; with a description for `device`."""
    from llmprep.bench.cpu_peak import best_on_this_machine, compute_peak, read_cpu_facts

    facts, levels, runs = best_on_this_machine(read_cpu_facts(), threads)
    flops, formula = compute_peak(facts, threads, dtype)
    dram = levels[-1][2]
    peak = DevicePeak("cpu", {dtype: flops}, dram, "hardware", tuple(levels[:-1]))
    described = {
        "name": "cpu", "flops_per_s": flops, "bytes_per_s": dram,
        "levels": [{"level": level, "bytes": min(capacity, 2**53), "bytes_per_s": rate}
                   for level, capacity, rate in levels],
        "source": said("bench.cpu_peak_source", formula=formula, runs=runs),
    }
    return peak, described
