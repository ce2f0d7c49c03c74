"""The one exception type for a user's mistake: the CLI turns it into a message and exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: bad input, a missing file, a wrong option.

    `what` says what went wrong, `where` names the file, line, question id or field,
    `fix` says what to do. The CLI prints all three on stderr and exits with `exit_code`.
    """

    def __init__(self, what: str, where: str | None = None, fix: str | None = None, exit_code: int = 2):
        super().__init__(what)
        self.what = what
        self.where = where
        self.fix = fix
        self.exit_code = exit_code

    def to_dict(self) -> dict:
        """The JSON document of a failed command: an `error` object, the exit code, and (as before
        `error` became an object) `where` and `fix` at the top level too."""
        return {"error": {"what": self.what, "where": self.where, "fix": self.fix}, "exit_code": self.exit_code,
                "where": self.where, "fix": self.fix}
