"""The one way llmprep runs an exercise entry, for `check`, `bench` and the tests.

- `calling`: the calling convention (function, module, harness), `CaseRequest`, `CaseOutcome`,
  `prepare_call`, `run_case`, and casting/moving inputs (`cast_floats`, `move`, `clone_values`).
- `trusted`: `run_trusted`, trusted code in this process, called the way the worker calls.
- `process`: `WorkerProcess` and `WorkerRequest`, the sandboxed child that runs a submission.
- `worker_script` (run by path under `python -I`), `wire` (frames), `banned` (banned built-ins),
  `isolation` and `policy` (Landlock, namespaces, limits), `device` (choosing cpu or cuda).

Nothing here imports `grading`, `bench` or `cli`, and nothing here records results.
"""
