"""The workspace store on a real SQLite file and a real PostgreSQL server: saving and reading
back, migrations, size limits, a forced failure mid-save, two writers, deleting everything."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from funnel.spec import Spec, Stage
from funnel.store import Limits, Store, StoreError, database_url, open_store, settings
from funnel.store.engine import current_revision, make_engine, revisions, upgrade
from tests.conftest import STORE_LIMITS

LIMITS = STORE_LIMITS  # the shared store fixture's (tests/conftest.py)
# sha256 of b"abc" and of b"" as published (FIPS 180-2 examples, and the empty string's).
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DOORS = Spec(
    columns={"deal": "ID", "stage": "Этап"},
    stages=(Stage("Новая"), Stage("КП отправлено"), Stage("Счёт выставлен")),
    won=("Успешно",),
    lost=("Закрыто и не реализовано",),
)
TABLES = ("workspaces", "blobs", "sources", "snapshots", "mappings", "changes", "views", "links")


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 9, 30, tzinfo=UTC)


def code_of(error: pytest.ExceptionInfo[StoreError]) -> str:
    return error.value.code


# ---- workspaces -------------------------------------------------------------------------------


def test_workspaces_are_created_listed_renamed_and_deleted(store: Store):
    doors = store.create_workspace("  Двери Плюс ")
    alpha = store.create_workspace("Альфа")
    assert (doors.name, doors.version) == ("Двери Плюс", 1)
    assert [w.name for w in store.workspaces()] == ["Альфа", "Двери Плюс"]
    renamed = store.rename_workspace(doors.id, "Двери Плюс (опт)", version=1)
    assert (renamed.name, renamed.version, renamed.created) == (
        "Двери Плюс (опт)",
        2,
        doors.created,
    )
    assert store.workspace(doors.id) == renamed
    store.delete_workspace(doors.id, version=2)
    assert [w.id for w in store.workspaces()] == [alpha.id]
    with pytest.raises(StoreError) as gone:
        store.workspace(doors.id)
    assert (gone.value.code, gone.value.params) == (
        "not_found",
        {"what": "workspace", "id": doors.id},
    )


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, None])
def test_a_workspace_needs_a_name_of_1_to_200_characters(store: Store, name):
    with pytest.raises(StoreError) as refused:
        store.create_workspace(name)
    assert code_of(refused) == "bad_name"
    assert store.workspaces() == []


def test_files_keep_their_snapshots_and_each_content_once(store: Store):
    ws = store.create_workspace("Двери Плюс")
    first = store.add_file(ws.id, "deals.csv", b"abc", version=1, taken=at(1))
    assert first.version == 2
    assert (first.item.sha256, first.item.size, first.item.taken) == (ABC, 3, at(1))
    source_id = first.item.source_id
    (source,) = store.sources(ws.id)
    assert (source.id, source.kind, source.name, source.url) == (
        source_id,
        "file",
        "deals.csv",
        None,
    )
    # The weekly export: once with new contents, once the same as the first week.
    second = store.add_snapshot(ws.id, source_id, b"", version=2, taken=at(8))
    third = store.add_snapshot(
        ws.id, source_id, b"abc", version=3, taken=at(15), file_name="deals (2).csv"
    )
    assert third.version == 4
    listed = store.snapshots(ws.id, source_id)
    assert [(s.sha256, s.taken, s.file_name) for s in listed] == [
        (ABC, at(1), "deals.csv"),
        (EMPTY, at(8), "deals.csv"),
        (ABC, at(15), "deals (2).csv"),
    ]
    assert store.snapshot_bytes(ws.id, second.item.id) == b""
    assert store.snapshot_bytes(ws.id, third.item.id) == b"abc"
    assert store.size(ws.id) == 3  # "abc" once, "" once
    assert store.workspace(ws.id).version == 4


def test_a_sheet_is_a_source_whose_fetches_are_snapshots(store: Store):
    ws = store.create_workspace("Альфа")
    link = "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0"
    sheet = store.add_sheet(ws.id, link, "Сделки", version=1)
    assert (sheet.item.kind, sheet.item.url, sheet.item.tab, sheet.item.name) == (
        "sheet",
        link,
        "Сделки",
        "Сделки",
    )
    store.add_snapshot(ws.id, sheet.item.id, b"abc", version=2, taken=at(2))
    store.add_snapshot(ws.id, sheet.item.id, b"abc", version=3, taken=at(3))
    assert [s.taken for s in store.snapshots(ws.id, sheet.item.id)] == [at(2), at(3)]
    assert store.sources(ws.id) == [sheet.item]


def test_a_mapping_is_kept_per_source_and_pipeline_with_its_version(store: Store):
    ws = store.create_workspace("Двери Плюс")
    source_id = store.add_file(ws.id, "deals.xlsx", b"abc", version=1).item.source_id
    assert store.mapping(ws.id, source_id) is None
    saved = store.save_mapping(ws.id, source_id, DOORS, version=2, pipeline="Розница")
    assert (saved.item.version, saved.version, saved.item.spec) == (1, 3, DOORS)
    wholesale = DOORS.with_changes(won=("Оплачено",))
    store.save_mapping(ws.id, source_id, wholesale, version=3, pipeline="Опт")
    again = store.save_mapping(ws.id, source_id, wholesale, version=4, pipeline="Розница")
    assert again.item.version == 2
    kept = store.mapping(ws.id, source_id, "Розница")
    assert kept is not None
    assert (kept.spec.won, kept.version) == (("Оплачено",), 2)
    assert kept.yaml.startswith("columns:\n  deal: ID\n  stage: Этап\nstages:\n")
    assert [(m.pipeline, m.version) for m in store.mappings(ws.id)] == [("Опт", 1), ("Розница", 2)]
    other = store.create_workspace("Альфа")
    with pytest.raises(StoreError) as elsewhere:
        store.mapping(other.id, source_id, "Розница")  # a source of another workspace
    assert code_of(elsewhere) == "not_found"


def test_changes_are_listed_by_date_and_can_be_removed(store: Store):
    ws = store.create_workspace("Двери Плюс")
    script = store.add_change(ws.id, date(2026, 3, 1), "Новый скрипт", version=1)
    store.add_change(ws.id, date(2026, 1, 12), "Лендинг", version=2)
    assert [(c.on, c.label) for c in store.changes(ws.id)] == [
        (date(2026, 1, 12), "Лендинг"),
        (date(2026, 3, 1), "Новый скрипт"),
    ]
    assert store.delete_change(ws.id, script.item.id, version=3) == 4
    assert [c.label for c in store.changes(ws.id)] == ["Лендинг"]
    with pytest.raises(StoreError) as gone:
        store.delete_change(ws.id, script.item.id, version=4)
    assert code_of(gone) == "not_found"
    assert store.workspace(ws.id).version == 4  # the refused delete saved nothing


def test_a_view_is_plain_json_and_a_name_is_saved_once(store: Store):
    ws = store.create_workspace("Двери Плюс")
    state = {"page": "funnel", "filters": {"channel": ["Сайт"]}, "by": "product", "from": None}
    first = store.save_view(ws.id, "Сайт по продуктам", state, version=1, created=at(1))
    changed = {**state, "by": "channel"}
    second = store.save_view(ws.id, "Сайт по продуктам", changed, version=2, updated=at(2))
    (view,) = store.views(ws.id)
    assert (view.id, view.state, view.created, view.updated) == (
        first.item.id,
        changed,
        at(1),
        at(2),
    )
    assert second.item == view
    assert store.delete_view(ws.id, view.id, version=3) == 4
    assert store.views(ws.id) == []


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ({"period": {1, 2}}, "bad_view"),
        ({"ratio": float("nan")}, "bad_view"),
        (["funnel"], "bad_view"),
        ({"note": "я" * 40_000}, "too_big"),  # 80,000 bytes of UTF-8 and a little JSON
    ],
)
def test_a_view_that_is_not_small_plain_json_is_refused(store: Store, state, code):
    ws = store.create_workspace("Двери Плюс")
    with pytest.raises(StoreError) as refused:
        store.save_view(ws.id, "v", state, version=1)
    assert code_of(refused) == code
    assert store.views(ws.id) == []
    assert store.workspace(ws.id).version == 1


# ---- limits -----------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_its_numbers(store: Store):
    ws = store.create_workspace("Двери Плюс")
    with pytest.raises(StoreError) as refused:
        store.add_file(ws.id, "big.csv", b"x" * 1_001, version=1)
    assert code_of(refused) == "too_big"
    assert refused.value.params == {"limit": "file", "found": 1_001, "max": 1_000}
    assert store.sources(ws.id) == []


def test_a_workspace_over_its_limit_refuses_new_contents_but_not_old_ones(store: Store):
    ws = store.create_workspace("Двери Плюс")
    week1 = store.add_file(ws.id, "a.csv", b"1" * 1_000, version=1)
    store.add_snapshot(ws.id, week1.item.source_id, b"2" * 1_000, version=2)
    with pytest.raises(StoreError) as refused:
        store.add_file(ws.id, "c.csv", b"3" * 600, version=3)
    # 1,000 + 1,000 + 600 bytes against a limit of 2,500.
    assert refused.value.params == {"limit": "workspace", "found": 2_600, "max": 2_500}
    assert [s.name for s in store.sources(ws.id)] == ["a.csv"]
    assert store.workspace(ws.id).version == 3
    # The same contents again take no room: kept once.
    again = store.add_file(ws.id, "a copy.csv", b"1" * 1_000, version=3)
    assert again.version == 4
    assert store.size(ws.id) == 2_000


def test_limits_come_from_the_environment():
    env = {"VORONKA_MAX_FILE_BYTES": "2_000_000", "VORONKA_MAX_WORKSPACE_BYTES": "9000000"}
    assert Limits.from_env(env) == Limits(file_bytes=2_000_000, workspace_bytes=9_000_000)
    with pytest.raises(StoreError) as bad:
        Limits.from_env({"VORONKA_MAX_FILE_BYTES": "50MB"})
    assert (bad.value.code, bad.value.column) == ("bad_setting", "VORONKA_MAX_FILE_BYTES")


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path):
    folder = tmp_path / "клиенты"
    url = database_url({"VORONKA_DATA_DIR": str(folder)})
    assert url == f"sqlite:///{folder}/voronka.db"
    with open_store(url) as store:
        store.create_workspace("Двери Плюс")
    assert (folder / "voronka.db").is_file()
    assert database_url({"VORONKA_DB_URL": "sqlite:///x.db", "VORONKA_DATA_DIR": "y"}) == (
        "sqlite:///x.db"
    )


# ---- two writers, a failure mid-save, deleting ------------------------------------------------


def test_the_second_of_two_writers_gets_stale_version(url: str):
    with open_store(url, limits=LIMITS) as first, open_store(url, limits=LIMITS) as second:
        ws = first.create_workspace("Двери Плюс")
        seen_by_second = second.workspace(ws.id)
        first.add_change(ws.id, date(2026, 3, 1), "Новый скрипт", version=ws.version)
        with pytest.raises(StoreError) as stale:
            second.add_change(ws.id, date(2026, 4, 1), "Новые цены", version=seen_by_second.version)
        assert (stale.value.code, stale.value.params) == (
            "stale_version",
            {"expected": 1, "found": 2},
        )
        assert [c.label for c in second.changes(ws.id)] == ["Новый скрипт"]
        # Read again, then the save goes through.
        fresh = second.workspace(ws.id)
        second.add_change(ws.id, date(2026, 4, 1), "Новые цены", version=fresh.version)
        assert [c.label for c in first.changes(ws.id)] == ["Новый скрипт", "Новые цены"]


def test_of_two_writers_at_the_same_moment_one_saves_and_one_is_told(url: str):
    with open_store(url, limits=LIMITS) as first, open_store(url, limits=LIMITS) as second:
        ws = first.create_workspace("Двери Плюс")
        together = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def save(store: Store, label: str) -> None:
            together.wait(timeout=60)
            try:
                store.add_change(ws.id, date(2026, 3, 1), label, version=ws.version)
                outcome[label] = "saved"
            except StoreError as exc:
                outcome[label] = exc.code

        writers = [
            threading.Thread(target=save, args=(first, "Новый скрипт")),
            threading.Thread(target=save, args=(second, "Новые цены")),
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=120)
        assert sorted(outcome.values()) == ["saved", "stale_version"]
        (kept,) = first.changes(ws.id)
        assert outcome[kept.label] == "saved"
        assert second.workspace(ws.id).version == 2


def _fail_inserts_into(url: str, table: str) -> None:
    """A trigger in the database itself that refuses any new row of ``table``."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER forced_failure BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION forced_failure() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'forced failure'; END $$"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER forced_failure BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION forced_failure()"
            )
    engine.dispose()


def test_a_save_that_fails_midway_leaves_the_previous_state(url: str):
    with open_store(url, limits=LIMITS) as store:
        ws = store.create_workspace("Двери Плюс")
        store.add_file(ws.id, "deals.csv", b"abc", version=1, taken=at(1))
        _fail_inserts_into(url, "snapshots")
        # The version moves, the source and the contents are written, then the snapshot fails.
        with pytest.raises(StoreError) as failed:
            store.add_file(ws.id, "week2.csv", b"", version=2)
        assert code_of(failed) == "database"
        assert "forced failure" in failed.value.message
        assert store.workspace(ws.id).version == 2
        assert [s.name for s in store.sources(ws.id)] == ["deals.csv"]
        assert [s.sha256 for s in store.snapshots(ws.id)] == [ABC]
        assert store.size(ws.id) == 3
        # The store still works for what the failure does not touch.
        assert store.add_change(ws.id, date(2026, 3, 1), "Новый скрипт", version=2).version == 3


def test_deleting_a_workspace_removes_everything_it_holds(url: str):
    with open_store(url, limits=LIMITS) as store:
        doomed = store.create_workspace("Двери Плюс")
        kept = store.create_workspace("Альфа")
        file = store.add_file(doomed.id, "deals.csv", b"abc", version=1)
        sheet = store.add_sheet(doomed.id, "https://docs.google.com/x", "Лист1", version=2)
        store.add_snapshot(doomed.id, sheet.item.id, b"", version=3)
        store.save_mapping(doomed.id, file.item.source_id, DOORS, version=4)
        store.add_change(doomed.id, date(2026, 3, 1), "Новый скрипт", version=5)
        store.save_view(doomed.id, "Все", {"page": "funnel"}, version=6)
        store.add_file(kept.id, "deals.csv", b"abc", version=1)  # the same contents elsewhere
        store.delete_workspace(doomed.id, version=7)
        counts = _row_counts(url)
    # What is left is the other workspace: itself, one content, one source, one snapshot.
    assert counts == {
        "workspaces": 1,
        "blobs": 1,
        "sources": 1,
        "snapshots": 1,
        "mappings": 0,
        "changes": 0,
        "views": 0,
        "links": 0,
    }


def test_deleting_a_source_drops_the_contents_no_other_snapshot_shares(store: Store):
    ws = store.create_workspace("Двери Плюс")
    a = store.add_file(ws.id, "a.csv", b"abc", version=1)
    store.add_snapshot(ws.id, a.item.source_id, b"", version=2)
    store.add_file(ws.id, "b.csv", b"abc", version=3)
    store.save_mapping(ws.id, a.item.source_id, DOORS, version=4)
    assert store.delete_source(ws.id, a.item.source_id, version=5) == 6
    assert [s.name for s in store.sources(ws.id)] == ["b.csv"]
    assert [s.sha256 for s in store.snapshots(ws.id)] == [ABC]
    assert store.mappings(ws.id) == []
    assert store.size(ws.id) == 3


def _row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {
            t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES
        }
    engine.dispose()
    return counts


# ---- migrations -------------------------------------------------------------------------------


def _schema(url: str) -> dict[str, object]:
    """Every table's columns (name, type, null), keys, foreign keys, indexes and uniques."""
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    out: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        out[table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                for f in inspector.get_foreign_keys(table)
            ),
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        )
    engine.dispose()
    return out


def test_an_empty_database_gets_the_whole_schema_matching_the_tables(url: str):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from funnel.store.schema import metadata

    open_store(url).close()
    engine = make_engine(url)
    assert current_revision(engine) == revisions()[-1]
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()
    assert sorted(_schema(url)) == sorted((*TABLES, "alembic_version"))


def test_opening_again_keeps_what_was_saved(url: str):
    with open_store(url) as store:
        ws = store.create_workspace("Двери Плюс")
    with open_store(url) as store:
        assert store.workspaces() == [ws]


def test_a_database_at_any_earlier_revision_upgrades_to_the_same_schema(
    fresh_url: Callable[[], str],
):
    fresh = fresh_url()
    open_store(fresh).close()
    expected = _schema(fresh)
    for revision in ["base", *revisions()]:
        url = fresh_url()
        engine = make_engine(url)
        if revision != "base":
            upgrade(engine, revision)
        engine.dispose()
        open_store(url).close()
        assert _schema(url) == expected, revision


def test_every_setting_and_default_is_documented():
    root = Path(__file__).resolve().parent.parent
    code = (root / "funnel" / "store" / "settings.py").read_text(encoding="utf-8")
    docs = (root / "docs" / "storage.md").read_text(encoding="utf-8")
    names = set(re.findall(r"VORONKA_[A-Z_]+", code))
    assert names == {
        "VORONKA_DB_URL",
        "VORONKA_DATA_DIR",
        "VORONKA_MAX_FILE_BYTES",
        "VORONKA_MAX_WORKSPACE_BYTES",
        "VORONKA_MAX_ARCHIVE_MEMBERS",
    }
    for name in names:
        assert f"`{name}`" in docs, name
    for default in (
        settings.MAX_FILE_BYTES,
        settings.MAX_WORKSPACE_BYTES,
        settings.MAX_ARCHIVE_MEMBERS,
    ):
        assert f"`{default}`" in docs, default
