"""One table of Altair's schema classes, made once instead of on every encoding.

Altair turns each shorthand of ``encode`` ("half:Q", a condition, a value) into its channel
class through ``SchemaBase.from_dict``, and every such call first builds a table of all of
Altair's ~570 schema classes keyed by a JSON hash of each class's schema: about 4 ms a call, half
of the time a funnel chart takes to build. The table depends only on the set of classes, so it
is made once per set and shared. The classes and their lookups are Altair's own; only the
rebuilding is skipped. Imported by :mod:`funnel.charts.style`, which every chart module uses.

>>> from altair.utils import schemapi
>>> a = schemapi._FromDict(schemapi._subclasses(schemapi.SchemaBase))
>>> b = schemapi._FromDict(schemapi._subclasses(schemapi.SchemaBase))
>>> a.class_dict is b.class_dict and len(a.class_dict) > 100
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from altair.utils import schemapi

_TABLES: dict[tuple[type, ...], Any] = {}
_LOCK = threading.Lock()
_BUILD = schemapi._FromDict.__init__


def _shared_table(self: Any, wrapper_classes: Iterable[type], /) -> None:
    classes = tuple(wrapper_classes)
    with _LOCK:
        table = _TABLES.get(classes)
        if table is None:
            _BUILD(self, classes)
            _TABLES[classes] = self.class_dict
            return
    self.class_dict = table


if getattr(schemapi._FromDict.__init__, "__name__", "") != _shared_table.__name__:
    schemapi._FromDict.__init__ = _shared_table  # type: ignore[method-assign]
