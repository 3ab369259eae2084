"""Server memory given back: to the system when a dataset is dropped, and when a session closes.

Three things kept a server's memory at its peak (measured with ``./dev bench uploads``):

- Arrow's default allocator (mimalloc) keeps what the detection's temporaries used: about twice
  a 100k-row frame per upload, never returned. The system allocator returns it.
- glibc keeps freed blocks in its heaps until asked: ``malloc_trim(0)`` hands them back. With
  a heap (arena) per session's script thread much stays stranded: ``./dev app`` sets
  ``MALLOC_ARENA_MAX=2``, read by glibc at start, before any thread.
- Streamlit keeps a closed session (its state, its uploaded files) for reconnection, then
  forgets it only when another session disconnects, and never shuts it down: the files it
  uploaded and its tables' rows stay in their managers for the life of the server.
  :class:`Reaper` does what Streamlit leaves undone, for sessions gone longer than
  ``server.disconnectedSessionTTL``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
import weakref
from typing import Any

import streamlit as st

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0  # how often closed sessions are looked for


def trim() -> None:
    """Return the heap's free blocks to the system (glibc only; elsewhere nothing happens)."""
    with contextlib.suppress(Exception):  # not glibc (musl, macOS): nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def use_system_allocator() -> None:
    """Arrow's later allocations from the system allocator, which ``trim`` can return."""
    import pyarrow

    with contextlib.suppress(Exception):  # a build without it keeps its default
        pyarrow.set_memory_pool(pyarrow.system_memory_pool())


class Reaper:
    """Sessions this server holds data for, freed once closed longer than ``ttl`` seconds.

    Freeing is what Streamlit's own close does (dropping its uploaded files, its tables' rows
    and media) and clearing the session's state, which holds the dataset: a session gone that
    long cannot be resumed (Streamlit gives a reconnecting browser a new one), so nothing reads
    it again."""

    def __init__(self, runtime: Any, ttl: float) -> None:
        self._runtime = runtime
        self._ttl = ttl
        self._lock = threading.Lock()
        # session id -> (the session, when it was last seen connected)
        self._seen: dict[str, tuple[weakref.ref[Any], float]] = {}

    def watch(self, session_id: str, session: Any, now: float | None = None) -> None:
        seen = time.monotonic() if now is None else now
        with self._lock:
            self._seen[session_id] = (weakref.ref(session), seen)

    def watched(self) -> set[str]:
        with self._lock:
            return set(self._seen)

    def sweep(self, now: float | None = None) -> list[str]:
        """Free the sessions closed longer than the TTL; their ids."""
        now = time.monotonic() if now is None else now
        gone: list[tuple[str, Any]] = []
        with self._lock:
            for session_id, (ref, last) in list(self._seen.items()):
                if self._runtime.is_active_session(session_id):
                    self._seen[session_id] = (ref, now)
                elif now - last >= self._ttl:
                    del self._seen[session_id]
                    gone.append((session_id, ref()))
        for session_id, session in gone:
            self._runtime.uploaded_file_mgr.remove_session_files(session_id)
            # the rows of its tables and its media, kept for the browser to fetch
            self._runtime.media_file_mgr.clear_session_refs(session_id)
            self._runtime.media_file_mgr.remove_orphaned_files()
            self._runtime.dataframe_source_mgr.clear_all_for_session(session_id)
            if session is not None:
                session.session_state.clear()
        if gone:
            gc.collect()  # a frame's columns may hang on a cycle (pandas' caches)
            trim()
        return [session_id for session_id, _ in gone]

    def run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            try:
                self.sweep()
            except Exception:  # the sweep must outlive one bad session
                log.exception("freeing closed sessions failed")


@st.cache_resource(show_spinner=False)
def _reaper() -> Reaper | None:
    """One reaper per server, started with the first dataset a session holds."""
    from streamlit import config
    from streamlit.runtime import Runtime

    if not Runtime.exists():  # AppTest, bare mode: no server, no sessions to close
        return None
    use_system_allocator()
    # Streamlit's TTL plus one tick: a session is freed only after Streamlit forgot it.
    ttl = float(config.get_option("server.disconnectedSessionTTL")) + TICK_SECONDS
    reaper = Reaper(Runtime.instance(), ttl)
    threading.Thread(target=reaper.run, name="voronka-reaper", daemon=True).start()
    return reaper


def watch_session() -> None:
    """Have this run's session freed once it closes."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    reaper = _reaper()
    ctx = get_script_run_ctx()
    if reaper is None or ctx is None:
        return
    session = Runtime.instance().get_app_session(ctx.session_id)
    if session is not None:
        reaper.watch(ctx.session_id, session)
