"""The topic ids: ../shared/TOPICS.md's list, then the ten topics of 2026 interviews.

Questions (`questions/<topic>.yaml`) and exercises (`topic` in exercise.toml) use exactly these.
Nothing here imports anything, so the quiz's CLI options and the exercise catalog can both use it.
"""

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
    "mixture-of-experts",
    "post-training",
    "long-context",
    "reasoning",
    "serving",
    "scaling-laws",
    "quantization",
    "agents-rag",
    "modern-architectures",
    "training-at-scale",
)
