"""A session holds one person's file at a time, and a closed session's data is let go."""

from __future__ import annotations

import gc
import weakref

from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.state.session_state import SessionState
from streamlit.runtime.uploaded_file_manager import UploadedFileRec
from streamlit.testing.v1 import AppTest

from ui.memory import Reaper

FIRST = "ID;Этап сделки;Бюджет\n1;Переговоры;100\n2;Успешно реализовано;50\n3;Переговоры;70\n"
SECOND = "ID;Этап сделки;Бюджет\n1;Переговоры;10\n2;Переговоры;20\n"


def _upload(at: AppTest, name: str, text: str) -> None:
    at.file_uploader(key="upload").set_value((name, text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == name


def test_a_new_upload_lets_the_previous_file_go(at: AppTest):
    at.switch_page("app_pages/data.py").run()
    _upload(at, "первый.csv", FIRST)
    first = weakref.ref(at.session_state["dataset"])
    first_frame = weakref.ref(at.session_state["dataset"].frame)
    # (Not from another page: AppTest keeps every widget's functions, and with them the
    # globals of the page that drew it, for the life of the test.)
    _upload(at, "второй.csv", SECOND)
    gc.collect()
    assert first() is None and first_frame() is None
    # the sample stays the one to go back to: its table is shared by every session
    assert at.session_state["previous_dataset"].is_sample


def test_going_back_to_the_sample_keeps_no_previous(at: AppTest):
    sample = at.session_state["dataset"]
    at.switch_page("app_pages/data.py").run()
    _upload(at, "первый.csv", FIRST)
    assert at.session_state["previous_dataset"] is sample
    at.button(key="sample_button").click().run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].is_sample
    assert "previous_dataset" not in at.session_state  # the file let go, the sample current


def test_what_other_modules_build_from_the_dataset_is_dropped_with_it():
    from ui import filters, memo, state

    assert set(state.DERIVED) == {memo.SLOTS, memo.SPECS, filters.FILTERS}


class _Runtime:
    """What the reaper asks of Streamlit's runtime: which sessions are connected (a set here)
    and its real managers of uploaded files, media and table rows."""

    def __init__(self) -> None:
        self.active: set[str] = set()
        self.uploaded_file_mgr = MemoryUploadedFileManager("/upload")
        self.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/media"))
        self.dataframe_source_mgr = DataframeSourceManager()

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active


class _Session:
    """An app session as the reaper sees it: its real session state."""

    def __init__(self) -> None:
        self.session_state = SessionState()


def _session(runtime: _Runtime, session_id: str) -> _Session:
    session = _Session()
    session.session_state["dataset"] = bytearray(1000)
    runtime.uploaded_file_mgr.add_file(session_id, UploadedFileRec("f1", "a.csv", "text/csv", b"x"))
    runtime.active.add(session_id)
    return session


def test_a_closed_session_is_freed_only_after_the_ttl():
    runtime = _Runtime()
    reaper = Reaper(runtime, ttl=10)
    kept, closed = _session(runtime, "kept"), _session(runtime, "closed")
    reaper.watch("kept", kept, now=0)
    reaper.watch("closed", closed, now=0)
    runtime.active.discard("closed")
    assert reaper.sweep(now=9) == []  # within the TTL the browser may come back
    assert "dataset" in closed.session_state
    assert reaper.sweep(now=10) == ["closed"]
    assert "dataset" not in closed.session_state
    assert runtime.uploaded_file_mgr.get_files("closed", ["f1"]) == []
    assert reaper.watched() == {"kept"}
    assert "dataset" in kept.session_state  # connected all along: nothing taken
    assert len(runtime.uploaded_file_mgr.get_files("kept", ["f1"])) == 1


def test_a_session_that_came_back_is_not_freed():
    runtime = _Runtime()
    reaper = Reaper(runtime, ttl=10)
    session = _session(runtime, "s")
    reaper.watch("s", session, now=0)
    runtime.active.discard("s")
    reaper.sweep(now=5)
    runtime.active.add("s")  # the browser reconnected within the TTL
    reaper.sweep(now=8)
    runtime.active.discard("s")
    assert reaper.sweep(now=15) == []  # ten seconds since it was last seen, not since the first
    assert "dataset" in session.session_state
