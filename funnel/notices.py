"""Notices: facts about the data a person should know (a lower bound, unmapped values, ...).

The core returns them as data: a stable ``code`` the UI translates, the numbers in ``params``,
and an English ``message`` for the CLI and the JSON report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Notice:
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message
