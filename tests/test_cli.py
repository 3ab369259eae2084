"""The command line end to end: infer then report with no hand edit, in every layout, format and
encoding, with numbers counted by hand; and bad input giving exit 2 with one clear line."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from funnel.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent

# An amoCRM-style list, counted by hand:
# stages in amoCRM's default order; 2 won, 2 lost (stage unknown: a snapshot), 6 open.
AMO = pd.DataFrame(
    {
        "ID": list(range(101, 111)),
        "Название сделки": [f"Сделка {i}" for i in range(1, 11)],
        "Бюджет ": [
            "10 000 руб.",
            "20 000 руб.",
            "30 000 руб.",
            "40 000 руб.",
            "50 000 руб.",
            "60 000 руб.",
            "70 000,50 руб.",
            "80 000 руб.",
            "90 000 руб.",
            "100 000 руб.",
        ],
        "Ответственный": ["Иванов", "Петров"] * 5,
        "Дата создания сделки": [
            f"{d:02d}.0{m}.2025 10:00:00"
            for d, m in zip(range(1, 11), [1, 1, 1, 1, 1, 2, 2, 2, 2, 2], strict=True)
        ],
        "Этап сделки": [
            "Первичный контакт",
            "Первичный контакт",
            "Первичный контакт",
            "Переговоры",
            "Переговоры",
            "Принимают решение",
            "Успешно реализовано",
            "Успешно реализовано",
            "Закрыто и не реализовано",
            "Закрыто и не реализовано",
        ],
        "Воронка": ["Основная"] * 10,
        "Источник": [
            "Яндекс",
            "Яндекс",
            "Сайт",
            None,
            "Сайт",
            "Яндекс",
            "Сайт",
            "Яндекс",
            "Сайт",
            "Яндекс",
        ],
        "Дата закрытия": ["не закрыта"] * 6 + ["15.03.2025"] * 4,
    }
)
AMO_REACHED = {"Первичный контакт": 10, "Переговоры": 5, "Принимают решение": 3}
AMO_WON_AMOUNT = 70_000.5 + 80_000


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in this process (``main(argv)``): its exit code, standard output and error."""
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
        code = main(list(args))
        stdout.flush()
    return subprocess.CompletedProcess(
        list(args), code, out.getvalue().decode("utf-8"), err.getvalue()
    )


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m funnel`` as a user runs it: for the exit code and stderr of a real process."""
    return subprocess.run(
        [sys.executable, "-m", "funnel", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def infer_and_report(path: Path, tmp_path: Path, *extra: str) -> dict:
    spec_path = tmp_path / "spec.yaml"
    inferred = run("infer", str(path))
    assert inferred.returncode == 0, inferred.stderr
    spec_path.write_text(inferred.stdout, encoding="utf-8")
    reported = run("report", str(path), "--spec", str(spec_path), *extra)
    assert reported.returncode == 0, reported.stderr
    return json.loads(reported.stdout)


def check_amo(report: dict) -> None:
    total = report["total"]
    assert report["stages"] == list(AMO_REACHED)
    assert total["reached"] == AMO_REACHED
    assert (total["won"], total["lost"], total["open"]) == (2, 2, 6)
    assert total["lost_stage_unknown"] == 2
    assert total["won_amount"] == pytest.approx(AMO_WON_AMOUNT)
    assert report["reached_is_lower_bound"] is True
    assert any("lower bound" in w for w in report["warnings"])


def _title_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Two title rows and a blank row above the header, as hand-saved reports have."""
    cols = list(frame.columns)
    top = pd.DataFrame(
        [["Выгрузка сделок"] + [None] * (len(cols) - 1), [None] * len(cols), cols],
        columns=cols,
    )
    return pd.concat([top, frame.astype(object)], ignore_index=True)


def write(fmt: str, path: Path) -> Path:
    if fmt == "xlsx":
        _title_rows(AMO).to_excel(path, index=False, header=False)
    elif fmt == "ods":
        AMO.to_excel(path, index=False, engine="odf")
    elif fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("Сделки")
        for j, c in enumerate(AMO.columns):
            sheet.write(0, j, c)
        for i, rec in enumerate(AMO.itertuples(index=False), 1):
            for j, v in enumerate(rec):
                sheet.write(i, j, None if v is None or v != v else v)
        book.save(str(path))
    elif fmt == "html-xls":
        cells = "".join(f"<th>{c}</th>" for c in AMO.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{'' if pd.isna(v) else v}</td>" for v in rec) + "</tr>"
            for rec in AMO.itertuples(index=False)
        )
        html = (
            '<html><head><meta http-equiv="Content-type" content="text/html;charset=UTF-8">'
            f"</head><body><table border=1><tr>{cells}</tr>{body}</table></body></html>"
        )
        path.write_text(html, encoding="utf-8")
    elif fmt == "csv-utf8":
        AMO.to_csv(path, index=False)
    elif fmt == "csv-utf8-bom":
        AMO.to_csv(path, index=False, encoding="utf-8-sig")
    elif fmt == "csv-cp1251":
        AMO.to_csv(path, index=False, sep=";", encoding="cp1251")
    elif fmt == "tsv-utf16":
        AMO.to_csv(path, index=False, sep="\t", encoding="utf-16")
    return path


FORMATS = {
    "xlsx": "deals.xlsx",
    "ods": "deals.ods",
    "xls": "deals.xls",
    "html-xls": "DEAL_20260922.xls",
    "csv-utf8": "deals.csv",
    "csv-utf8-bom": "deals.csv",
    "csv-cp1251": "deals.csv",
    "tsv-utf16": "deals.tsv",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_amo_in_every_format(fmt, tmp_path):
    path = write(fmt, tmp_path / FORMATS[fmt])
    report = infer_and_report(path, tmp_path, "--by", "channel")
    check_amo(report)
    by = {s["segment"]: s["deals"] for s in report["segments"]}
    assert by == {"Яндекс": 5, "Сайт": 4, "(none)": 1}


def test_pipedrive_lost_deals_keep_their_stage(tmp_path):
    frame = pd.DataFrame(
        {
            "Deal - ID": [1, 2, 3, 4, 5, 6],
            "Deal - Title": list("abcdef"),
            "Deal - Owner": ["Ann", "Bob"] * 3,
            "Deal - Value": [100, 200, 300, 400, 500, 600],
            "Deal - Currency of Value": ["USD"] * 6,
            "Deal - Pipeline": ["Sales"] * 6,
            "Deal - Stage": [
                "Qualified",
                "Contact Made",
                "Proposal Made",
                "Proposal Made",
                "Negotiations Started",
                "Qualified",
            ],
            "Deal - Status": ["Open", "Lost", "Won", "Lost", "Won", "Lost"],
            "Deal - Deal created": [f"2025-01-0{i} 09:00:00" for i in range(1, 7)],
            "Deal - Source channel": ["Web", "Web", "Referral", "Web", "Referral", "Web"],
        }
    )
    path = tmp_path / "deals-123.csv"
    frame.to_csv(path, index=False)
    report = infer_and_report(path, tmp_path, "--by", "channel")
    assert report["stages"] == [
        "Qualified",
        "Contact Made",
        "Proposal Made",
        "Negotiations Started",
    ]
    total = report["total"]
    # won deals reached every stage; lost ones stop where they were.
    assert total["reached"] == {
        "Qualified": 6,
        "Contact Made": 4,
        "Proposal Made": 3,
        "Negotiations Started": 2,
    }
    assert total["lost_stage_unknown"] == 0 and report["reached_is_lower_bound"] is False
    assert total["won_amount"] == 800
    assert total["lost_at"] == {
        "Qualified": 1,
        "Contact Made": 1,
        "Proposal Made": 1,
        "Negotiations Started": 0,
    }


def test_register_with_stage_dates_and_junk_rows(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Реестр"
    ws.append(["Реестр сделок — двери"])
    ws.append(["выгрузка от 20.11.2026"])
    ws.append([])
    ws.append(
        [
            "Клиент",
            "Менеджер",
            "Канал",
            "Сумма, руб.",
            "Дата: Интерес уточнён",
            "Дата: Счёт выставлен",
            "Дата: Оплата получена",
            "Статус",
        ]
    )
    ws.append(["Январь 2026"])
    ws.append(
        [
            "СтройИнвест",
            "Орлов",
            "Холодные звонки",
            "350\u00a0000 ₽",
            "12.01.2026",
            "15.01.2026",
            "25.01.2026",
            "Успешно реализовано",
        ]
    )
    ws.append(
        [
            "ПИК-Регион",
            "Орлов",
            "Холодные звонки",
            "1\u00a0200\u00a0000,50 руб.",
            "13.01.2026",
            "20.01.2026",
            None,
            "Не реализовано",
        ]
    )
    ws.append(
        [
            "Домстрой",
            "Лебедева",
            "Рекомендации",
            "90 000",
            "14.01.2026",
            None,
            None,
            "Не реализовано",
        ]
    )
    ws.append(["Февраль 2026"])
    ws.append(
        [
            "Альфа",
            "Лебедева",
            "Рекомендации",
            "120 000",
            "02.02.2026",
            "10.02.2026",
            None,
            "В работе",
        ]
    )
    ws.append(["ИТОГО", None, None, "1 760 000,50", None, None, None, None])
    path = tmp_path / "register.xlsx"
    book.save(path)
    report = infer_and_report(path, tmp_path)
    assert report["layout"] == "stage_dates"
    assert report["stages"] == ["Интерес уточнён", "Счёт выставлен", "Оплата получена"]
    total = report["total"]
    assert total["deals"] == 4
    assert total["reached"] == {"Интерес уточнён": 4, "Счёт выставлен": 3, "Оплата получена": 1}
    assert (total["won"], total["lost"], total["open"]) == (1, 2, 1)
    assert total["lost_at"] == {"Интерес уточнён": 1, "Счёт выставлен": 1, "Оплата получена": 0}
    assert total["won_amount"] == 350_000
    assert total["median_days_to_next_stage"]["Интерес уточнён"] == 7  # 3, 7, 8 days
    assert report["reached_is_lower_bound"] is False


def test_salesforce_report_with_footer_and_history(tmp_path):
    opp = tmp_path / "opportunities.csv"
    opp.write_bytes(
        (
            "Opportunity Name,Opportunity Owner,Lead Source,Amount,Created Date,Stage,"
            "Close Date\r\n"
            "Acme,Ann,Web,1000,1/5/2025,Closed Won,2/1/2025\r\n"
            "Globex,Bob,Partner,2000,1/6/2025,Closed Lost,2/2/2025\r\n"
            "Initech,Ann,Web,3000,1/7/2025,Prospecting,3/1/2025\r\n"
            '"Grand Totals (3 records)",,,"6,000",,,\r\n'
            "\r\n"
            "Confidential Information - Do Not Distribute\r\n"
            "Copyright © 2000-2025 salesforce.com, inc. All rights reserved.\r\n"
        ).encode()
    )
    hist = tmp_path / "history.csv"
    hist.write_bytes(
        b"Opportunity Name,To Stage,From Stage,Amount,Last Modified,Owner\r\n"
        b"Acme,Prospecting,,1000,1/5/2025,Ann\r\n"
        b"Acme,Negotiation/Review,Prospecting,1000,1/20/2025,Ann\r\n"
        b"Acme,Closed Won,Negotiation/Review,1000,2/1/2025,Ann\r\n"
        b"Globex,Prospecting,,2000,1/6/2025,Bob\r\n"
        b"Globex,Negotiation/Review,Prospecting,2000,1/10/2025,Bob\r\n"
        b"Globex,Negotiation/Review,Negotiation/Review,2500,1/12/2025,Bob\r\n"
        b"Globex,Closed Lost,Negotiation/Review,2500,2/2/2025,Bob\r\n"
    )
    inferred = run("infer", str(opp), "--events", str(hist))
    assert inferred.returncode == 0, inferred.stderr
    spec = tmp_path / "spec.yaml"
    spec.write_text(inferred.stdout, encoding="utf-8")
    out = run("report", str(opp), "--spec", str(spec), "--events", str(hist))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    total = report["total"]
    assert report["layout"] == "history"
    assert total["deals"] == 3
    assert total["reached"]["Prospecting"] == 3
    assert total["reached"]["Negotiation/Review"] == 2
    assert (total["won"], total["lost"], total["open"]) == (1, 1, 1)
    assert total["lost_stage_unknown"] == 0  # the history tells where Globex was lost


def test_report_formats_csv_and_xlsx(tmp_path):
    path = write("csv-utf8", tmp_path / "deals.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text(run("infer", str(path)).stdout, encoding="utf-8")
    csv_out = run("report", str(path), "--spec", str(spec), "--by", "channel", "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    table = pd.read_csv(io.StringIO(csv_out.stdout.lstrip("\ufeff")))
    first = table[table["segment"] == "all"].set_index("stage")["reached"].to_dict()
    assert first == AMO_REACHED
    xlsx = tmp_path / "report.xlsx"
    x_out = run("report", str(path), "--spec", str(spec), "--format", "xlsx", "-o", str(xlsx))
    assert x_out.returncode == 0, x_out.stderr
    sheets = pd.read_excel(xlsx, sheet_name=None, engine="openpyxl")
    assert set(sheets) == {"Funnel", "Segments", "Warnings"}
    assert sheets["Funnel"].set_index("stage")["reached"].to_dict() == AMO_REACHED


def test_report_by_month_and_two_dimensions(tmp_path):
    path = write("csv-utf8", tmp_path / "deals.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text(run("infer", str(path)).stdout, encoding="utf-8")
    out = json.loads(run("report", str(path), "--spec", str(spec), "--by", "month").stdout)
    assert {s["segment"]: s["deals"] for s in out["segments"]} == {"2025-01": 5, "2025-02": 5}
    out = json.loads(run("report", str(path), "--spec", str(spec), "--by", "channel,owner").stdout)
    assert out["by"] == ["channel", "owner"]
    assert sum(s["deals"] for s in out["segments"]) == 10


BAD_INPUTS = {
    "image.xlsx": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "empty.csv": b"",
    "broken.xlsx": b"PK\x03\x04 this is not really a zip",
    "notes.pdf": b"%PDF-1.4 hello",
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_file_gives_one_line_and_exit_2(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    out = run_process("infer", str(path))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in out.stderr


def test_missing_file_and_bad_spec(tmp_path):
    out = run_process("infer", str(tmp_path / "nope.xlsx"))
    assert out.returncode == 2 and "nope.xlsx" in out.stderr
    path = write("csv-utf8", tmp_path / "deals.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text("columns: {stage: Этап}\nstages: [A]\n", encoding="utf-8")
    out = run("report", str(path), "--spec", str(spec))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "'Этап'" in out.stderr and "Этап сделки" in out.stderr
    spec.write_text("columns: [oops\n", encoding="utf-8")
    out = run("report", str(path), "--spec", str(spec))
    assert out.returncode == 2 and "spec.yaml" in out.stderr and "row" in out.stderr
    spec.write_text("columns: {stage: Этап сделки}\nstages: [A]\nwon: [X]\nbogus: 1\n")
    out = run("report", str(path), "--spec", str(spec))
    assert out.returncode == 2 and "bogus" in out.stderr


def test_unknown_breakdown_is_a_clear_error(tmp_path):
    path = write("csv-utf8", tmp_path / "deals.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text(run("infer", str(path)).stdout, encoding="utf-8")
    rc = main(["report", str(path), "--spec", str(spec), "--by", "colour"])
    assert rc == 2


def test_every_cli_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, cmd in sub.choices.items():
        assert f"## {name}" in doc
        for action in cmd._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert re.search(rf"`{re.escape(opt)}`", doc), f"{name} {opt} undocumented"
