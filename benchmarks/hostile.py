"""How fast hostile files are refused, beside reading a small good file the same way.

The tests check that each hostile file is refused with the right message; how long a refusal
takes is measured here, where a busy machine cannot fail a correct change: a refusal should cost
about what reading a small good file costs (the bounded reader's worker is warm), never the
seconds or gigabytes the file was made to cost.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import ROOT, header, median_of, row

sys.path.insert(0, str(ROOT))

TARGET_X = 5.0  # a refusal within 5x a small good read (the row count reads 2 MB)


def _refused(fn: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        try:
            return fn()
        except Exception as exc:  # the refusal is the expected outcome
            return exc

    return run


def bench_hostile(repeat: int = 5) -> None:
    from funnel.io import guard
    from funnel.spec import Spec
    from tests import hostile

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        good = hostile.xlsx(tmp / "good.xlsx")
        guard.read_table(good)  # the worker server started once, as in a running app
        base = median_of(lambda: guard.read_table(good), repeat)
        rows = tmp / "rows.csv"
        rows.write_bytes(b"ID\n" + b"1\n" * 1_048_577)
        files = {
            "zip bomb (.xlsx, 64 MB of zeros inside)": hostile.zip_bomb(tmp / "bomb.xlsx"),
            "entity bomb in a sheet's XML": hostile.entity_bomb(tmp / "entity.xlsx"),
            "one 5M-field line (.csv)": hostile.huge_line(tmp / "line.csv"),
            "10,000 columns (.csv)": hostile.wide(tmp / "wide.csv"),
            "1,048,578 rows (.csv)": rows,
            "a named pipe instead of a file": hostile.fifo(tmp / "pipe.csv"),
        }
        cases: dict[str, Callable[[], object]] = {
            name: _refused(lambda path=path: guard.read_table(path)) for name, path in files.items()
        }
        bomb = hostile.yaml_bomb().encode()
        cases["YAML bomb as a mapping file"] = _refused(
            lambda: Spec.from_bytes(bomb, source="bomb.yaml")
        )
        header(f"hostile input refused (median of {repeat}), against a small good .xlsx read")
        row("read a 3-row .xlsx (the baseline)", f"{base * 1000:.0f} ms", number=base, unit="s")
        for name, fn in cases.items():
            took = median_of(fn, repeat)
            row(
                name,
                f"{took * 1000:.0f} ms = {took / base:.1f}x",
                f"target <= {TARGET_X:.0f}x",
                took / base <= TARGET_X,
                number=took,
                unit="s",
            )


if __name__ == "__main__":
    bench_hostile()
