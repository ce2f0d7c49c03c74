"""The progress database's own errors (English)."""

MESSAGES = {
    "store.moved_aside": "move it aside (mv '{path}' '{path}.broken') and llmprep starts a new one; nothing else is touched",
    "store.foreign_fix": "move it aside (mv '{path}' '{path}.broken') and llmprep starts a new one; nothing else is touched; or set LLMPREP_HOME to another directory",
    "store.cannot_open": "cannot open the progress database ({error})",
    "store.cannot_open_fix": "check that the directory exists and is writable, or set LLMPREP_HOME",
    "store.foreign": "this file is an SQLite database, but not llmprep's progress database",
    "store.newer": "the progress database was written by a newer llmprep (schema {version}; this one knows up to {supported}), so it is left untouched",
    "store.newer_fix": "upgrade llmprep (pip install -U llmprep), or set LLMPREP_HOME to another directory",
    "store.locked": "the progress database stayed locked for {seconds} s",
    "store.locked_fix": "another llmprep is writing to it; let it finish and retry",
    "store.disk_full": "the disk is full",
    "store.disk_full_fix": "free some space and retry",
    "store.damaged": "the progress database is damaged ({error})",
    "store.read_only": "the progress database is read-only",
    "store.read_only_fix": "make the file and its directory writable, or set LLMPREP_HOME elsewhere",
}
