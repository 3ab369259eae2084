"""Imported first by the bounded readers' worker server (never by the app or the CLI itself):
settings that must precede the first import of pyarrow.

Arrow's default allocator (mimalloc) reserves a 1 GB arena up front, which a memory cap counts as
used; the system allocator asks for what it needs, so the cap measures the file, not the arena.
"""

from __future__ import annotations

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
