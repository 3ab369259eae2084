"""Domain errors: each carries what a person must know to fix the input (file, row, column)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters a terminal or a log would act on rather than show: controls (newline, escape),
# format characters (bidi overrides) and line/paragraph separators.
_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def printable(text: object, limit: int = 200) -> str:
    """``text`` as one safe line: control and format characters escaped (``\\n``, ``\\x1b``,
    ``\\u202e``), cut to ``limit`` characters with an ellipsis.

    >>> printable("deals\\n\\x1b[31m.csv")
    'deals\\\\n\\\\x1b[31m.csv'
    """
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in _UNSAFE:
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    line = "".join(out)
    return line if len(line) <= limit else line[: limit - 1] + "…"


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

    def __reduce__(self) -> tuple[object, ...]:
        # Every field survives pickling (a bounded reader's worker sends errors back).
        fields = (self.message, self.code, self.file, self.row, self.column, self.expected)
        return (type(self), (*fields, self.params))

    def __str__(self) -> str:
        """One line for a terminal or a log: the file's name and every value escaped."""
        where = []
        if self.file:
            where.append(printable(self.file, 120))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        head = ": ".join([", ".join(where), self.message]) if where else self.message
        if self.expected:
            head += f" (expected {self.expected})"
        return printable(head, 2000)


class InputError(FunnelError):
    """The file or sheet cannot be read as a table of deals."""


class SpecError(FunnelError):
    """The funnel spec is malformed or does not fit the data."""
