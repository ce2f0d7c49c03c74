"""`llmprep bench`: the tables, notes and warnings, the sweep, the plots and the timer check."""

MESSAGES = {
    # the device and where its peaks come from
    "bench.device": "device: {parts}", "bench.cpu_device": "{device}: {name} ({threads} threads)", "bench.device_peak": "peak {gflops} GFLOP/s, {gbps} GB/s",
    "bench.timed_by": "timed by {clock}", "bench.load": "load {load} on {cores} cores", "bench.busy_mark": " (busy)",
    "bench.peak_label": "peak: ", "bench.list_sep": ", ", "bench.clause_sep": "; ", "bench.triad": "triad {levels}",
    "bench.clock_cpu_thread": "thread CPU time (CLOCK_THREAD_CPUTIME_ID)", "bench.clock_cpu_wall": "wall time (perf_counter)",
    "bench.clock_cuda": "CUDA events, L2 flushed before each call",
    "bench.cpu_peak_source": "compute: {formula}; memory: STREAM-style triad; both the best of {runs} run(s) on this machine",
    "bench.cpu_formula": "{threads} cores × {ghz} GHz ({clock_source}) × {per_cycle} {dtype} FLOP/cycle "
                         "({isa}, from the CPU flags)",
    "bench.clock_source_loop": "a dependent-instruction loop timed now", "bench.clock_source_model": "the model name",
    "bench.clock_source_unknown": "unknown",
    "bench.gpu_peak_source": "{source} (dense {key})",
    "bench.no_gpu_peak": "{name} is not in llmprep's table of GPU peaks: no % of peak",
    "bench.auto_cpu": "auto: torch sees no CUDA device, so the bench runs on the CPU",
    # the tables
    "bench.col_exercise": "exercise", "bench.col_size": "size", "bench.col_backend": "backend",
    "bench.col_median": "median ms", "bench.col_ci": "95% CI ms", "bench.col_n": "n", "bench.col_gflops": "GFLOP/s",
    "bench.col_gbps": "GB/s", "bench.col_peak": "% peak", "bench.col_memory": "memory", "bench.col_correct": "correct",
    "bench.col_vs_earlier": "vs earlier",
    "bench.yes": "yes", "bench.no": "NO", "bench.not_timed": "not timed",
    "bench.quick_title": "bench --quick: one small size of each exercise ({dtype}, {device})",
    "bench.legend": "median per call with its 95% interval; % peak: share of the roofline bound, marked FLOP "
                    "(compute) or the memory level that holds the row's bytes; memory: peak {memory} of one call",
    "bench.memory_cuda": "device memory", "bench.memory_rss": "RSS growth",
    "bench.note": "note: ", "bench.skipped": "skipped: ",
    "bench.compare_legend": "vs earlier: this median ÷ the latest earlier run's of the same exercise, size, backend, "
                            "device and dtype [95% interval]; 'no change' whenever the interval includes 1",
    "bench.verdict_no change": "no change", "bench.verdict_faster": "faster", "bench.verdict_slower": "slower",
    "bench.interrupted": "interrupted: the rows above are the ones measured before Ctrl-C",
    # notes and warnings about the run
    "bench.busy": "the machine is busy ({reasons}): read the intervals, not single numbers, and compare runs with --compare",
    "bench.noisy": "noisy rows: {reason} (short kernels vary from launch to launch): read the intervals, not single numbers",
    "bench.two_reasons": "{first}; {second}",
    "bench.busy_load": "load average {load} on {cores} cores before the run",
    "bench.noisy_rows": "{noisy} of {rows} rows have an IQR over {spread} of their median",
    "bench.over_peak": "{count} row(s) beat the stated peak (up to {pct}%, {row}, {bound}): the peak is wrong, not the "
                       "row (see device.peak.source for how it was derived)",
    "bench.compare_none": "--compare: no earlier run of these rows on {device}",
    "bench.compare_busy": "--compare: the machine is busy, so each interval also allows ±{widen} for how much "
                          "unchanged code moves between two busy runs",
    "bench.no_builtin": "PyTorch has no built-in for it",
    "bench.not_exported": "not exported: {reason}", "bench.export_failed": "export failed: {error}",
    "bench.failed_to_load": "the submission failed to load in the bench worker", "bench.run_check": "run `llmprep check` on it",
    "bench.worker_timeout": "the bench worker ran out of time after {seconds} s; later rows are missing",
    "bench.no_timing": "the worker sent no timing", "bench.no_model": "the worker sent no ONNX model",
    "bench.timing_refused": "refused: the worker's timing disagrees with llmprep's clock ({why})",
    "bench.compiled_yours": "torch.compile of your code (output not compared)",
    "bench.plot_saved": "plot saved to {path}",
    "bench.spec_failed": "{exercise}: its spec.py failed to load ({error})",
    "bench.no_bench": "{exercise}: its spec.py declares no BENCH", "bench.another_exercise": "bench another exercise",
    "bench.quick_out_of_time": "--quick spent its {seconds} s before {count} exercise(s): {ids}",
    "bench.size_failed": "{exercise} {size}: not measured, the reference or its BENCH failed ({error})",
    "bench.file_passed": "{file} passed `llmprep check` ({cases} cases, seed {seed}) before it was timed; it ran only "
                         "in the sandboxed worker",
    # usage errors
    "bench.submission_needs_file": "--backend submission needs a FILE to time",
    "bench.pass_file": "pass your implementation: llmprep bench attn.py",
    "bench.unknown_exercise": "no exercise called {ids}", "bench.one_of": "one of: {ids}",
    "bench.unknown_size": "{exercise} has no bench size {sizes}", "bench.size_choices": "use a position or a name: {names}",
    # the sweep
    "bench.sweep_title": "sweep: how time grows with the size (log-log slope of the fastest samples, upper sizes)",
    "bench.col_sizes": "sizes", "bench.col_fit_from": "fit from", "bench.col_time_slope": "time slope",
    "bench.col_slope_ci": "95% CI", "bench.col_r2": "R²", "bench.col_memory_slope": "memory slope",
    "bench.plot_title": "{exercise}: median ms vs {size} (log-log)", "bench.plot_median": "median ms",
    "bench.plot_suptitle": "llmprep bench: {device}, {dtype}",
    # --plot
    "bench.needs_matplotlib": "--plot needs matplotlib, which is not installed",
    "bench.install_matplotlib": "pip install 'llmprep[plot]' (or pip install matplotlib), or leave out --plot",
    "bench.nothing_to_plot": "nothing was measured, so there is nothing to plot",
    "bench.run_without_plot": "run without --plot to see why",
    "bench.cannot_write_plot": "cannot write the plot: {reason}", "bench.writable_path": "choose a writable path",
    # --verify-timer
    "bench.verify_title": "timer check on {device} ({threads} threads): {kernel}, the two timers taking turns",
    "bench.verify_ours": "llmprep timer: median {median} ms (95% CI {low}–{high}, n {n}, {calls} call(s) per sample)",
    "bench.verify_theirs": "{how}: median {median} ms (n {n})",
    "bench.verify_ratio": "ratio {ratio}: {verdict} (within ±{tolerance})",
    "bench.verdict_agree": "agree", "bench.verdict_disagree": "disagree",
    "bench.verify_peak_share": "{pct}% of {peak}",
    "bench.verify_peak": "{kernel}: median {median} ms = {tflops} TFLOP/s ({share} TFLOP/s, {gpu} datasheet); best "
                         "sample {best} TFLOP/s; SM clock {clock_from} → {clock_to} MHz",
    "bench.verify_note": "note: {note}",
    "bench.verify_cpu_only": "CPU: compared with torch.utils.benchmark; the CUDA checks (triton.testing.do_bench, "
                             "bf16 {size}³ at % of peak) need a GPU",
    "bench.how_triton": "triton.testing.do_bench (median)", "bench.how_cpu": "torch.utils.benchmark.Timer.blocked_autorange, {clock}",
    "bench.no_triton": "triton is not importable: no triton.testing.do_bench to compare with",
    # FILE: the check first
    "bench.no_such_file": "no such file: {file}",
    "bench.create_file": "check the path, or create it with `llmprep start ID`",
    "bench.one_exercise": "with FILE, --exercise names the one exercise it solves",
    "bench.give_exercise_once": "give --exercise once",
    "bench.check_passed": "check passed ({cases} cases, seed {seed}): timing {file}",
    "bench.not_timed_failed": "not timed: bench times only code that passes the check",
}
