"""The progress database: one SQLite file, one connection per `Store`, one part per concern.

`open_store()` gives a `Store` with `store.reviews` (quiz cards and the review log),
`store.checks` (check attempts and solution views) and `store.bench` (bench runs);
`llmprep.store.transfer` exports and imports. See `database` for the guarantees.
"""

from llmprep.store.database import BUSY_TIMEOUT_S, STORE_FILE, default_store_path, iso, parse_time
from llmprep.store.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from llmprep.store.opening import Store, open_store
from llmprep.store.reviews import AdvanceCard, CardRow, ReviewRecord, replay

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_S", "MIGRATIONS", "SCHEMA_VERSION",
           "STORE_FILE", "AdvanceCard", "CardRow", "ReviewRecord", "Store", "default_store_path", "iso", "open_store",
           "parse_time", "replay"]
