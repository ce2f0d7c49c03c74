"""`llmprep watch`."""

MESSAGES = {
    "watch.watching": "watching {file}: save to check again, Ctrl-C to stop",
    "watch.missing": "{file} is missing; waiting for it to come back",
    "watch.passed_next": "Passed. `llmprep next` says what to do next (a review due, or the next exercise); "
                         "keep saving to check again, Ctrl-C to stop.",
}
