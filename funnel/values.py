"""Cell values as people type them: labels, numbers with spaces and currency, dates in many forms."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def norm_label(value: object) -> str:
    """The comparison key of a label: trimmed, spaces and NBSP collapsed, case-folded, ё -> е.

    >>> norm_label("  Успешно\u00a0 реализовано ")
    'успешно реализовано'
    >>> norm_label("Ёлка") == norm_label("елка")
    True
    """
    if value is None:
        return ""
    text = _SPACES.sub(" ", str(value)).strip().casefold()
    return text.replace("ё", "е")
