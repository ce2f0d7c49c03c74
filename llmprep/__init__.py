"""llmprep: a command-line coach for LLM research and engineering interviews."""

__version__ = "0.1.0"
