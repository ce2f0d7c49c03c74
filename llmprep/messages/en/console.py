"""The labels the console prints itself, and the root command's."""

MESSAGES = {
    "console.error": "error:",
    "console.where": "where:",
    "console.fix": "fix:",
    "console.warning": "warning:",
    "console.interrupted": "interrupted (Ctrl-C); what was already answered or recorded is kept",
}
