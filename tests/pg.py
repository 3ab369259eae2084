"""A throwaway PostgreSQL server for the store's tests: Debian's programs, a data folder of its
own and a unix socket inside it (no TCP port), so two test workers never clash.

PostgreSQL refuses to run as root; as root the server runs as an unprivileged user (``postgres``
when Debian's package made it, else ``nobody``) through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROLE = "voronka"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


@dataclass(frozen=True)
class Server:
    """A running server: its folder (data, socket, log) and the programs that run it."""

    folder: Path
    bin_dir: Path
    run_as: tuple[str, ...]

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 over the socket)."""
        return f"postgresql+psycopg://{ROLE}@/{database}?host={self.folder}"

    def create_database(self) -> str:
        """A new empty database of a name no other test uses; its URL."""
        name = f"store_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database :meth:`create_database` made, closing what still holds it."""
        name = url.split("/")[-1].split("?")[0]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def stop(self) -> None:
        try:
            _run([*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"),
                  "-m", "immediate", "-w", "stop"])  # fmt: skip
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def bin_dir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` live: ``PG_BIN`` if set, else Debian's newest version."""
    if os.environ.get("PG_BIN"):
        found = Path(os.environ["PG_BIN"])
    else:
        versions = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
        )
        which = shutil.which("initdb")
        found = Path(versions[-1]) if versions else Path(which).parent if which else Path()
    if not (found / "initdb").exists() or not (found / "pg_ctl").exists():
        raise Unavailable(
            "no initdb/pg_ctl (install Debian's postgresql package, as `./dev test` does)"
        )
    return found


def _unprivileged() -> tuple[tuple[str, ...], pwd.struct_passwd | None]:
    """The command prefix that drops root, and the user it drops to (none when not root)."""
    if os.geteuid() != 0:
        return (), None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root and no runuser to start PostgreSQL as another user")
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return (runuser, "-u", name, "--"), user
    raise Unavailable("running as root and no unprivileged user (postgres, nobody) to run as")


def start() -> Server:
    """Start a server with trust authentication on a socket only its folder holds."""
    programs = bin_dir()
    run_as, user = _unprivileged()
    folder = Path(tempfile.mkdtemp(prefix="voronka-pg-"))
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / "data"
    try:
        _run([*run_as, str(programs / "initdb"), "-D", str(data), "-U", ROLE, "--auth=trust",
              "--encoding=UTF8", "--locale=C", "--no-sync"])  # fmt: skip
        # Small and fast: the tests need no durability, and two workers share two cores.
        options = (
            f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c shared_buffers=16MB -c max_connections=40"
        )
        _run([*run_as, str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-w",
              "-t", "60", "-l", str(folder / "server.log"), "start"])  # fmt: skip
    except Unavailable as exc:
        log = folder / "server.log"
        tail = log.read_text(errors="replace")[-600:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"PostgreSQL did not start: {exc} {tail}".strip()) from None
    return Server(folder=folder, bin_dir=programs, run_as=run_as)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise Unavailable(f"{Path(command[-1]).name}: {(done.stderr or done.stdout)[-600:]}")


BACKENDS = ("sqlite", "postgresql")


def databases(request: Any, folder: Path) -> Iterator[Callable[[], str]]:
    """For a fixture parametrized by :data:`BACKENDS`: a maker of fresh empty databases (SQLite
    files in ``folder``, or databases on the session's server), all dropped afterwards."""
    made: list[str] = []
    if request.param == "sqlite":

        def make_file() -> str:
            made.append(f"sqlite:///{folder / f'store{len(made)}.db'}")
            return made[-1]

        yield make_file
        return
    server: Server = request.getfixturevalue("postgres")

    def make_database() -> str:
        made.append(server.create_database())
        return made[-1]

    yield make_database
    for url in made:
        server.drop_database(url)
