"""The quiz: the question bank (`bank`), typed answers (`answers`), sessions (`session`) and
generated question families (`generators`).

Nothing here imports torch or numpy: `llmprep quiz` must start fast. The constants below
live here, not in `bank`, so the CLI can build its options without importing pydantic.
"""

# The topic ids (../shared/TOPICS.md's 16, then the 10 added for 2026 interviews) have one home.
from llmprep.topics import TOPIC_IDS as TOPIC_IDS  # re-exported for the bank and the CLI

QUESTION_TYPES: tuple[str, ...] = ("choice", "multi", "numeric", "short", "order")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
LANGUAGES: tuple[str, ...] = ("en", "zh")
