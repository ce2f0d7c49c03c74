"""The quiz: the question bank (`bank`), typed answers (`answers`), sessions (`session`) and
generated question families (`generators`).

Nothing here imports torch or numpy: `llmprep quiz` must start fast. The constants below
live here, not in `bank`, so the CLI can build its options without importing pydantic.
"""

# The topic ids of ../shared/TOPICS.md, in its order. Questions and exercises use exactly these.
TOPIC_IDS: tuple[str, ...] = (
    "foundations",
    "tokenization-embeddings",
    "attention",
    "multi-head-attention",
    "positional-encoding",
    "transformer-block",
    "pretraining-objectives",
    "training",
    "fine-tuning",
    "distributed-training",
    "evaluation",
    "inference",
    "efficiency-deployment",
    "prompt-engineering",
    "applications-ethics",
    "code-review",
)
QUESTION_TYPES: tuple[str, ...] = ("choice", "multi", "numeric", "short", "order")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
LANGUAGES: tuple[str, ...] = ("en", "zh")
