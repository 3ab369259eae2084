"""Reading untrusted files in a worker process with a memory cap and a time limit.

A file that defeats every check in :mod:`funnel.io.limits` (a bomb in a format nobody foresaw, a
library bug) costs its own worker, never the app's server or the CLI: the worker's address space
is capped with ``RLIMIT_AS`` and its time with a timer whose signal ends it. Each read gets a
fresh worker forked from a server that has the readers imported (``forkserver``: no fork of a
process that runs threads), so a worker that hits a limit dies alone and the next read starts
clean. The limits come from ``VORONKA_READ_MEMORY_MB`` and ``VORONKA_READ_SECONDS``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from funnel.errors import InputError, printable
from funnel.io import gsheets, readers
from funnel.io.readers import Source, Table

T = TypeVar("T")

MEMORY_ENV = "VORONKA_READ_MEMORY_MB"
SECONDS_ENV = "VORONKA_READ_SECONDS"
WORKERS_ENV = "VORONKA_READ_WORKERS"
DEFAULT_MEMORY_MB = 2048
DEFAULT_SECONDS = 60.0
# The parent waits this much longer than the worker's own timer before it ends the worker.
_GRACE_SECONDS = 5.0
# Imported once by the worker server, so no read imports them again: the readers, and what
# they import only on first use (fastexcel, pandas' Arrow conversion).
_PRELOAD = [
    "funnel.io.worker_env",
    "funnel.io.readers",
    "funnel.io.gsheets",
    "fastexcel",
    "pyarrow.pandas_compat",
]


@dataclass(frozen=True)
class Limits:
    """What one read may use: ``memory_mb`` of address space on top of the worker's own start
    (about 400 MB with pandas and pyarrow loaded), ``seconds`` of wall time."""

    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: float = DEFAULT_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits ``VORONKA_READ_MEMORY_MB`` and ``VORONKA_READ_SECONDS`` set; a missing,
        non-numeric or non-positive value gives the default."""
        env = os.environ if environ is None else environ
        return cls(
            memory_mb=int(_positive(env.get(MEMORY_ENV), DEFAULT_MEMORY_MB)),
            seconds=_positive(env.get(SECONDS_ENV), DEFAULT_SECONDS),
        )


def _positive(text: str | None, default: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def read_table(
    source: Source,
    *,
    name: str | None = None,
    sheet: str | None = None,
    limits: Limits | None = None,
) -> Table:
    """:func:`funnel.io.readers.read_table` in a bounded worker.

    Besides the reader's own codes, an :class:`InputError` with code ``file_too_big_to_read``
    (the worker hit the memory cap) or ``read_timeout`` (it ran out of time); ``params`` hold
    ``max`` (the limit in MB or seconds).
    """
    label = _label(source, name)
    if not isinstance(source, bytes | bytearray | memoryview):
        source = os.path.abspath(os.fspath(source))  # the worker may run in another folder
    return run_bounded(readers.read_table, source, name=label, sheet=sheet, limits=limits)


def list_sheets(
    source: Source, *, name: str | None = None, limits: Limits | None = None
) -> list[str]:
    """:func:`funnel.io.readers.list_sheets` in a bounded worker (opening a workbook parses its
    shared strings, which a bomb can inflate)."""
    label = _label(source, name)
    if not isinstance(source, bytes | bytearray | memoryview):
        source = os.path.abspath(os.fspath(source))
    return run_bounded(readers.list_sheets, source, name=label, limits=limits)


def sheet_table(fetched: gsheets.SheetCsv, *, limits: Limits | None = None) -> Table:
    """:func:`funnel.io.gsheets.to_table` of a fetched Google Sheet in a bounded worker (the
    fetch itself stays in the caller, with its own size limit)."""
    return run_bounded(gsheets.to_table, fetched, limits=limits, label=fetched.name)


def read_sheet(
    url: str,
    *,
    credentials: Mapping[str, Any] | None = None,
    tab: str | None = None,
    limits: Limits | None = None,
) -> Table:
    """:func:`funnel.io.gsheets.read_sheet` with the parsing in a bounded worker."""
    return sheet_table(gsheets.fetch(url, credentials=credentials, tab=tab), limits=limits)


def _label(source: Source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, bytes | bytearray | memoryview):
        return "upload"
    return os.path.basename(os.fspath(source))


def run_bounded(
    fn: Callable[..., T],
    /,
    *args: Any,
    limits: Limits | None = None,
    label: str | None = None,
    **kwargs: Any,
) -> T:
    """``fn(*args, **kwargs)`` in a fresh worker under ``limits`` (default: from the
    environment). ``fn`` and its arguments must pickle; so do its result and errors.

    Where the ``resource`` module is missing (Windows), ``fn`` runs here, unbounded.
    """
    limits = limits or Limits.from_env()
    label = label or str(kwargs.get("name") or "file")
    if not _can_bound():
        return fn(*args, **kwargs)
    # At most a few reads at once, each under its cap: twenty uploads at the same moment wait
    # their turn (within the time a read may take) instead of twenty workers of 2 GB each.
    if not _turns().acquire(timeout=limits.seconds):
        raise InputError(
            "The server is reading other files; try again in a minute.",
            code="server_busy",
            file=label,
            params={"max": limits.seconds},
        )
    try:
        return _run_worker(fn, args, kwargs, limits, label)
    finally:
        _turns().release()


_TURNS: threading.BoundedSemaphore | None = None
_TURNS_LOCK = threading.Lock()


def _turns() -> threading.BoundedSemaphore:
    """How many reads may run at once: ``VORONKA_READ_WORKERS``, else the number of CPUs."""
    global _TURNS
    with _TURNS_LOCK:
        if _TURNS is None:
            n = _positive(os.environ.get(WORKERS_ENV), float(os.cpu_count() or 2))
            _TURNS = threading.BoundedSemaphore(max(1, int(n)))
        return _TURNS


def _run_worker(
    fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits, label: str
) -> T:
    with tempfile.TemporaryDirectory(prefix="voronka-read-") as folder:
        stderr_path = os.path.join(folder, "stderr")
        pool = _OneTask(max_workers=1, mp_context=_context(), max_tasks_per_child=1)
        started = time.monotonic()
        stuck = False
        try:
            result_path = os.path.join(folder, "result")
            with _no_main_script():
                future = pool.submit(
                    _in_worker, limits, label, stderr_path, result_path, fn, args, kwargs
                )
            try:
                future.result(timeout=limits.seconds + _GRACE_SECONDS)
                with open(result_path, "rb") as fh:
                    return pickle.load(fh)  # written by our own worker, just now
            except cf.TimeoutError:
                stuck = True
                _end_workers(pool)
                raise _timeout(limits, label) from None
            except BrokenProcessPool:
                if time.monotonic() - started >= limits.seconds * 0.95:
                    raise _timeout(limits, label) from None
                raise _too_big(limits, label, _last_words(stderr_path)) from None
        finally:
            # The worker has ended (one task each) unless it was stuck: then do not wait for it.
            pool.shutdown(wait=not stuck, cancel_futures=True)


def _can_bound() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return hasattr(os, "fork")


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(_PRELOAD)  # takes effect when the server first starts
    return ctx


class _OneTask(cf.ProcessPoolExecutor):
    """A pool whose one worker runs one task and is not replaced when it exits: the pool is
    shut down right after, and a replacement would only start (and import the app) in vain."""

    _spawned = False

    def _adjust_process_count(self) -> None:
        if not self._spawned:
            self._spawned = True
            super()._adjust_process_count()


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """Start workers while ``__main__`` names no file.

    A new worker first imports its parent's ``__main__`` from its path (multiprocessing's spawn
    preparation). Under Streamlit that module is the app script itself, so every worker ran the
    whole app (reading the sample file, building the sidebar) before reading the upload. The
    submit that starts the worker happens while ``__main__`` is a bare module; script runs in
    other threads use their own module's namespace and never look it up meanwhile.
    """
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        if main is None or not getattr(main, "__file__", None):
            yield
            return
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _end_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Kill a worker whose own timer did not end it (a stopped signal, a stuck system call)."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.kill()


def _last_words(path: str) -> str | None:
    """What a dead worker said first on its error stream (a library's allocation failure)."""
    try:
        with open(path, "rb") as fh:
            lines = fh.read(8192).decode("utf-8", errors="replace").strip().splitlines()
    except OSError:
        return None
    return printable(lines[0]) if lines else None


def _too_big(limits: Limits, label: str, detail: str | None = None) -> InputError:
    return InputError(
        f"Reading the file needed more than {limits.memory_mb:,} MB of memory, the most "
        f"Voronka gives one file.",
        code="file_too_big_to_read",
        file=label,
        params={"max": limits.memory_mb, **({"detail": detail} if detail else {})},
    )


def _timeout(limits: Limits, label: str) -> InputError:
    seconds = f"{limits.seconds:,.0f}" if limits.seconds >= 1 else f"{limits.seconds:g}"
    return InputError(
        f"Reading the file took longer than {seconds} s, the most Voronka gives one file.",
        code="read_timeout",
        file=label,
        params={"max": limits.seconds},
    )


# ---- in the worker --------------------------------------------------------------------------


def _in_worker(
    limits: Limits,
    label: str,
    stderr_path: str,
    result_path: str,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Run ``fn`` under the limits and leave its result pickled in ``result_path``.

    A table comes back through a file, not the pool's pipe: 20 MB for 100k rows went through
    the pipe in 64 KB turns between the two processes (80-130 ms on a busy machine), a file
    in the page cache takes a fraction of that. Errors still come back through the pool.
    """
    _apply_limits(limits, stderr_path)
    try:
        result = fn(*args, **kwargs)
        with open(result_path, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        raise _too_big(limits, label) from None


def _apply_limits(limits: Limits, stderr_path: str) -> None:
    import resource
    import signal

    # A library that aborts on a failed allocation says so on stderr: keep it for the error's
    # detail instead of the terminal or the server log.
    with contextlib.suppress(OSError):
        fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    # The timer's signal, left to its default action, ends the worker even inside a library.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    _fewer_reservations()
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + limits.memory_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _fewer_reservations() -> None:
    """Keep address space for data: glibc reserves 64 MB per malloc arena and Arrow starts a
    thread (8 MB of stack) per core, which on a large server would eat the cap by themselves."""
    import ctypes

    with contextlib.suppress(Exception):
        m_arena_max = -8
        ctypes.CDLL(None).mallopt(m_arena_max, 2)
    if "pyarrow" in sys.modules:
        import pyarrow

        pyarrow.set_cpu_count(min(pyarrow.cpu_count(), 4))
        pyarrow.set_io_thread_count(min(pyarrow.io_thread_count(), 4))


def _address_space() -> int:
    """This process's virtual size in bytes (``VmSize``), 0 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0
