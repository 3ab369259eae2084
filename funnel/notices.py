"""Notices: facts about the data a person should know (a lower bound, unmapped values, ...).

The core returns them as data: a stable ``code`` and everything a sentence about it needs in
``params`` (counts, values, column and stage names; a list stays a list). The words are the
edges' work: ``ui/notices.py`` in both languages, ``funnel/report/words.py`` in English for
the CLI and the JSON report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Notice:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
