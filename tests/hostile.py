"""A hostile corpus, generated at test time: files and specs an attacker or a careless user would
try (bombs, huge cells and lines, FIFOs, odd encodings and line ends, nested HTML, encrypted
workbooks, absurd amounts). Each maker writes into a folder and returns the path.

The worker helpers at the end run inside a bounded reader's worker (they must be importable).
"""

from __future__ import annotations

import os
import struct
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
SHARED_EMPTY = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" '
    'uniqueCount="0"></sst>'
)

HEADER = ("ID", "Этап", "Бюджет")
ROWS = (("1", "Новая", "100"), ("2", "Успешно", "200"), ("3", "Отказ", "300"))


def _row(r: int, values: tuple[str, ...]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'


def xlsx(
    path: Path,
    sheet: str | Iterator[bytes] | None = None,
    shared: str = SHARED_EMPTY,
    level: int = 6,
) -> Path:
    """A minimal xlsx with inline strings; ``sheet`` replaces the sheet XML (a chunk iterator
    streams a big one without holding it)."""
    if sheet is None:
        body = _row(1, HEADER) + "".join(_row(i + 2, r) for i, r in enumerate(ROWS))
        sheet = SHEET_HEAD + body + SHEET_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/sharedStrings.xml", shared)
        if isinstance(sheet, str):
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                for chunk in sheet:
                    fh.write(chunk)
    return path


def zip_bomb(path: Path, megabytes: int = 64) -> Path:
    """An xlsx whose sheet inflates ~1,000 times: ``megabytes`` of identical rows from a few
    tens of KB (the issue's was 10 MB inflating to 4 GB; the ratio is what gives it away)."""
    row = _row(2, ROWS[0]).encode()
    block = row * (2**20 // len(row))

    def chunks() -> Iterator[bytes]:
        yield (SHEET_HEAD + _row(1, HEADER)).encode()
        for _ in range(megabytes):
            yield block
        yield SHEET_TAIL.encode()

    return xlsx(path, chunks(), level=9)


def huge_shared_string(path: Path, megabytes: int) -> Path:
    """An xlsx whose one shared string is ``megabytes`` long: a 'huge cell' that costs memory
    as soon as the workbook is opened."""
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>' + "A" * (megabytes * 2**20) + "</t></si></sst>"
    )
    sheet = SHEET_HEAD + _row(1, HEADER) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(path, sheet + SHEET_TAIL, shared=shared, level=9)


def xlsx_with_cell(path: Path, text: str) -> Path:
    """A small xlsx with ``text`` in the second data row's stage cell."""
    body = _row(1, HEADER) + _row(2, ROWS[0]) + _row(3, ("2", text, "200"))
    return xlsx(path, SHEET_HEAD + body + SHEET_TAIL)


def malformed_sheet(path: Path) -> Path:
    return xlsx(path, SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is>')


def bad_shared_index(path: Path) -> Path:
    sheet = SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>99</v></c></row>' + SHEET_TAIL
    return xlsx(path, sheet)


def entity_bomb(path: Path) -> Path:
    """A sheet declaring the "billion laughs" entities in a DOCTYPE."""
    doctype = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    sheet = (
        '<?xml version="1.0"?>' + doctype + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        + SHEET_TAIL
    )
    return xlsx(path, sheet)


def encrypted_workbook(path: Path) -> Path:
    """What Office writes for an xlsx with a password: an OLE compound file whose directory
    names an ``EncryptedPackage`` stream (the header and the name are what give it away)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    header += b"\xfe\xff" + struct.pack("<H", 9) + b"\x00" * (512 - len(header) - 4)
    entry = "EncryptedPackage".encode("utf-16-le") + b"\x00\x00"
    directory = entry + b"\x00" * (128 - len(entry))
    path.write_bytes(header + directory + b"\x00" * 4096)
    return path


def csv_text(rows: list[tuple[str, ...]] | None = None, sep: str = ";") -> str:
    rows = rows or [HEADER, *ROWS]
    return "\n".join(sep.join(r) for r in rows) + "\n"


def huge_line(path: Path, fields: int = 5_000_000) -> Path:
    """One 10 MB line of 5 million fields under a normal header."""
    path.write_bytes(b"ID,Stage\n" + b"1," * fields + b"\n")
    return path


def wide(path: Path, columns: int = 10_000, rows: int = 30) -> Path:
    header = ",".join(f"Field {i}" for i in range(columns))
    body = "\n".join(",".join(str((r * i) % 10) for i in range(columns)) for r in range(rows))
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return path


def long_cell_csv(path: Path, chars: int = 40_000) -> Path:
    path.write_text(
        csv_text([HEADER, ROWS[0], ("2", "Я" * chars, "200"), ROWS[2]]), encoding="utf-8"
    )
    return path


def absurd_amounts(path: Path) -> Path:
    """Won deals of 1e308 each: their sum overflows to infinity; 1e38 and -0.0 besides."""
    rows = [
        ("ID", "Stage", "Status", "Amount", "Created"),
        ("1", "Lead", "Won", "1e308", "2025-01-10"),
        ("2", "Lead", "Won", "1e308", "2025-01-11"),
        ("3", "Lead", "Lost", "1e38", "2025-01-12"),
        ("4", "Lead", "Open", "-0.0", "2025-01-13"),
    ]
    path.write_text(csv_text(rows, ","), encoding="utf-8")
    return path


ABSURD_SPEC = """\
columns: {deal: ID, stage: Stage, status: Status, amount: Amount, created: Created}
stages: [Lead]
won: [Won]
lost: [Lost]
"""

GOOD_SPEC = """\
columns: {deal: ID, stage: Этап, amount: Бюджет}
stages: [Новая, Успешно, Отказ]
won: [Успешно]
lost: [Отказ]
"""


def yaml_bomb() -> str:
    """The issue's "billion laughs": anchors nested nine deep inside ``won:`` (9**10 values
    once expanded)."""
    lines = ['  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"  - &a{i} [{','.join([f'*a{i - 1}'] * 9)}]")
    return "columns: {stage: Этап}\nstages: [A]\nwon:\n" + "\n".join(lines) + "\n"


def deep_yaml(depth: int = 10_000) -> str:
    return "columns: {stage: Этап}\nstages: [A]\nwon: " + "[" * depth + "]" * depth + "\n"


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


NESTED_HTML = """<html><head><meta charset="utf-8"></head><body>
<table class="layout"><tr><td>Отчёт по сделкам</td></tr>
<tr><td>
  <table class="deals">
    <tr><th>ID</th><th>Этап</th><th>Бюджет</th></tr>
    <tr><td>1</td><td>Новая</td><td>100</td></tr>
    <tr><td>2</td><td>Успешно</td><td>200</td></tr>
    <tr><td>3</td><td>Отказ</td><td>300</td></tr>
  </table>
</td></tr>
<tr><td>Выгружено 01.03.2025</td></tr>
</table></body></html>
"""


# ---- run inside a bounded worker ---------------------------------------------------------------


def allocate(megabytes: int) -> int:
    """Hold ``megabytes`` of memory, touched page by page (a parser gone wild)."""
    block = bytearray(megabytes * 2**20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return len(block)


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def read_unchecked(path: str) -> object:
    """The reader with the zip checks off, as if a bomb defeated them: only the worker's cap
    stands between it and the server."""
    from funnel.io import limits, readers

    limits.check_zip = lambda *args, **kwargs: None  # this worker ends after this one read
    return readers.read_table(path)


def raise_error(error: BaseException) -> None:
    raise error
