"""Domain errors: each carries what a person must know to fix the input (file, row, column)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FunnelError(Exception):
    """Base of every error Voronka raises on bad input or a bad spec.

    ``code`` is a stable machine key (the UI translates it); ``message`` is the English text the
    CLI prints; ``file``/``row``/``column``/``expected`` locate the problem where known.
    ``row`` is 1-based as a spreadsheet shows it.
    """

    message: str
    code: str = "error"
    file: str | None = None
    row: int | None = None
    column: str | None = None
    expected: str | None = None
    params: dict[str, object] | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        head = ": ".join([", ".join(where), self.message]) if where else self.message
        if self.expected:
            head += f" (expected {self.expected})"
        return head


class InputError(FunnelError):
    """The file or sheet cannot be read as a table of deals."""


class SpecError(FunnelError):
    """The funnel spec is malformed or does not fit the data."""
