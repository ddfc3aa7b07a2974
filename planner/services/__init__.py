"""Domain operations: plain functions that check rules, flush and never commit."""


class PlannerError(Exception):
    """A business rule refused an operation; the message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
