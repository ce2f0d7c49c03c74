"""The labels the console prints itself, and the root command's."""

MESSAGES = {
    "console.error": "error:",
    "console.where": "where:",
    "console.fix": "fix:",
    "console.warning": "warning:",
    "console.interrupted": "interrupted (Ctrl-C); what was already answered or recorded is kept",
    "console.store_waiting": "waiting for another llmprep that is writing to the progress database (an import?); nothing is lost",
}
