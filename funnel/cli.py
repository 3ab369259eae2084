"""Command line: ``python -m funnel infer FILE`` and ``python -m funnel report FILE --spec SPEC``.

FILE may be a Google Sheets link; a private sheet is read with a service account key given by
``--credentials`` or ``$GOOGLE_APPLICATION_CREDENTIALS``.

Bad input exits with code 2 and one line on stderr naming the file, the row or column, and what
was expected; never a traceback (set VORONKA_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import json
import math
import numbers
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from funnel.errors import FunnelError, InputError, printable

EXIT_BAD_INPUT = 2
# The client report's sections (funnel.document.content.SECTIONS), named here so that the
# parser does not import the engine.
_SECTIONS = (
    "conclusions",
    "funnel",
    "compare",
    "leaks",
    "economics",
    "trends",
    "changes",
    "velocity",
    "plan",
    "method",
)
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"


_CREDENTIALS_HELP = (
    f"service account key (JSON) for private Google Sheets; default: ${CREDENTIALS_ENV}"
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m funnel",
        description="Voronka: sales-funnel numbers from a deal export.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    inf = sub.add_parser("infer", help="print the proposed funnel spec as YAML")
    inf.add_argument(
        "file",
        help="deal export (.xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt) or a Google Sheets link",
    )
    inf.add_argument("--sheet", help="sheet name (default: the one that looks like a deal list)")
    inf.add_argument("--credentials", help=_CREDENTIALS_HELP)
    inf.add_argument("--events", help="stage history file to join to the deal list")
    inf.add_argument("--events-sheet", help="sheet of the stage history file")

    rep = sub.add_parser("report", help="compute the funnel under a spec")
    rep.add_argument("file")
    rep.add_argument("--spec", required=True, help="YAML spec, as written by infer")
    rep.add_argument("--events", help="stage history file named by the spec's 'events'")
    rep.add_argument("--events-sheet")
    rep.add_argument("--sheet")
    rep.add_argument(
        "--by",
        action="append",
        help="break down by a role (channel, product, owner, pipeline), a period "
        "(week, month, quarter) or any column; repeat or use a comma for two at once",
    )
    rep.add_argument("--credentials", help=_CREDENTIALS_HELP)
    rep.add_argument(
        "--compare-before",
        metavar="DATE",
        help="the funnel before and after a change on DATE (2026-03-01 or 01.03.2026), per step "
        "with its significance; with --by channel, per channel too",
    )
    rep.add_argument(
        "--equal-windows",
        action="store_true",
        help="with --compare-before: windows of the same length on both sides",
    )
    rep.add_argument(
        "--spend",
        metavar="SPEND",
        help="spend table (channel, period, amount): a file or a Google Sheets link; adds what "
        "each channel costs and returns; default: the spec's 'spend' block",
    )
    rep.add_argument("--spend-sheet", metavar="NAME", help="sheet of the spend file")
    rep.add_argument(
        "--margin",
        type=float,
        help="gross margin, a share above 0 and at most 1 (0.35): adds profit and ROMI on profit",
    )
    rep.add_argument(
        "--spend-period",
        choices=("month",),
        help="economics per calendar month too (by lead month and by calendar month)",
    )
    rep.add_argument("--format", choices=("json", "csv", "xlsx", "html", "pdf"), default="json")
    rep.add_argument("--output", "-o", help="write here instead of standard output")
    rep.add_argument(
        "--lang",
        choices=("ru", "en"),
        default="ru",
        help="html/pdf: the client report's language (default: ru)",
    )
    rep.add_argument("--title", default="", help="html/pdf: the client report's title")
    rep.add_argument(
        "--sections",
        help="html/pdf: the sections to include, comma-separated (default: all that have data): "
        + ",".join(_SECTIONS),
    )
    rep.add_argument(
        "--target",
        type=float,
        help="html/pdf: revenue (main currency) to plan for over the next quarter: adds the plan",
    )

    pln = sub.add_parser(
        "plan", help="leads each channel must bring for a target (the Planner page's numbers)"
    )
    pln.add_argument("file")
    pln.add_argument("--spec", required=True, help="YAML spec, as written by infer")
    pln.add_argument("--sheet")
    pln.add_argument("--credentials", help=_CREDENTIALS_HELP)
    pln.add_argument("--events", help="stage history file named by the spec's 'events'")
    pln.add_argument("--events-sheet")
    pln.add_argument(
        "--target",
        type=float,
        help="revenue (main currency) or won deals to reach; default: the last full quarter's",
    )
    pln.add_argument("--kind", choices=("revenue", "won"), default="revenue")
    pln.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="period start (default: the quarter after the data's last date)",
    )
    pln.add_argument("--to", dest="end", metavar="DATE", help="period end, inclusive")
    pln.add_argument("--by", default="channel", help="plan per this role (default: channel)")
    pln.add_argument(
        "--mix",
        choices=("leads", "revenue"),
        default="leads",
        help="split the target by each channel's current share of leads or of revenue",
    )
    pln.add_argument("--format", choices=("json", "csv"), default="json")
    pln.add_argument("--output", "-o", help="write here instead of standard output")
    return p


def _read(path: str, sheet: str | None, credentials: str | None = None):
    """A file or a Google Sheet, parsed in a worker under the same memory and time limits as
    the app's uploads (VORONKA_READ_MEMORY_MB, VORONKA_READ_SECONDS)."""
    from funnel.io import guard, limits

    if _is_url(path):
        from funnel.io import google_access

        key_path = credentials or os.environ.get(CREDENTIALS_ENV)
        if key_path and os.path.exists(key_path):
            limits.regular_file(key_path, Path(key_path).name)
        key = google_access.load_key_file(key_path) if key_path else None
        return guard.read_sheet(path, credentials=key, tab=sheet)
    limits.regular_file(path, Path(path).name)  # before any open: a FIFO would block
    return guard.read_table(path, sheet=sheet)


def _is_url(path: str) -> bool:
    return path.strip().lower().startswith(("http://", "https://"))


def _label(path: str) -> str:
    """How a source is named in the output: a link as given, a file by its name."""
    return path.strip() if _is_url(path) else Path(path).name


def _dims(values: Sequence[str] | None) -> list[str]:
    return [d.strip() for v in values or () for d in v.split(",") if d.strip()]


def cmd_infer(args: argparse.Namespace) -> int:
    from funnel.detect.infer import infer_spec
    from funnel.report.words import notice_text

    table = _read(args.file, args.sheet, args.credentials)
    events = _read(args.events, args.events_sheet, args.credentials).frame if args.events else None
    inference = infer_spec(table.frame, events)
    if not inference.spec.stages:
        raise InputError(
            "no funnel stages found: " + " ".join(map(notice_text, inference.warnings)),
            code="no_stages",
            file=args.file,
            expected="a stage or status column, or one date column per stage",
        )
    # Comments hold names from the file: escaped, a newline in one cannot start a YAML line.
    header = [f"# proposed by voronka from {printable(_label(args.file))}"]
    if table.sheet:
        header.append(f"# sheet: {printable(table.sheet)}, header on row {table.header_row}")
    header += [f"# note: {printable(notice_text(w), 2000)}" for w in inference.warnings]
    if inference.spec.guessed:
        header.append("# 'guessed' lists what the file could not prove: check it, then delete it")
    sys.stdout.write("\n".join(header) + "\n" + inference.spec.to_yaml())
    return 0


def _deals(args: argparse.Namespace) -> tuple[Any, Any]:
    """The deals of ``args.file`` under ``args.spec``, and the table they were read from."""
    from funnel.prepare import prepare
    from funnel.spec import Spec

    spec = Spec.from_file(args.spec)
    table = _read(args.file, args.sheet, args.credentials)
    events = _read(args.events, args.events_sheet, args.credentials).frame if args.events else None
    return prepare(table.frame, spec, events=events, source=args.file), table


def _spend_source(args: argparse.Namespace, kept: Any) -> tuple[str | None, str | None]:
    """The spend file to read and its sheet: ``--spend``, else the file the spec's ``spend``
    block names (relative to the spec's folder) when it keeps no rows."""
    if args.spend:
        same = kept.file and Path(kept.file).name == Path(args.spend).name
        return args.spend, args.spend_sheet or (kept.sheet if same else None)
    if kept.rows or not kept.file:
        return None, None
    path = kept.file
    if not _is_url(path) and not Path(path).is_absolute():
        path = str(Path(args.spec).parent / path)
    if not _is_url(path) and not os.path.exists(path):
        # The funnel does not need the spend: a spec moved without its spend file still reports.
        print(
            f"voronka: warning: the spend file {printable(_label(path))} named by the spec is "
            "not there: no economics",
            file=sys.stderr,
        )
        return None, None
    return path, args.spend_sheet or kept.sheet


def _with_spend(args: argparse.Namespace, deals: Any) -> tuple[Any, tuple[Any, ...]]:
    """``deals`` carrying the spend of ``--spend`` or of the spec (``--margin`` over the spec's),
    and the notices of reading the spend table; ``deals`` as they are when there is none."""
    from dataclasses import replace

    from funnel.economics.compute import spend_for, with_spend
    from funnel.spec_spend import SpendSpec

    kept = deals.spec.spend or SpendSpec()
    margin = getattr(args, "margin", None)
    if margin is not None:
        if not (math.isfinite(margin) and 0 < margin <= 1):
            raise InputError(
                f"--margin {margin} is not a share",
                code="bad_margin",
                expected="a number above 0 and at most 1, as 0.35",
            )
        kept = replace(kept, margin=margin)
    path, sheet = _spend_source(args, kept)
    notes: tuple[Any, ...] = ()
    if path is not None:
        table = _read(path, sheet, args.credentials)
        notes = tuple(table.notes)  # what the reader dropped (a totals row, blank lines)
        spend = spend_for(deals, table.with_headings().frame, kept, source=_label(path))
    elif kept.rows:
        spend = spend_for(deals, None, kept)
    else:
        if margin is not None or getattr(args, "spend_period", None):
            raise InputError(
                "--margin and --spend-period need a spend table",
                code="spend_missing",
                expected="--spend FILE, or a 'spend' block in the spec",
            )
        return deals, ()
    return with_spend(deals, spend, kept), (*notes, *spend.notices)


def _economics(args: argparse.Namespace, deals: Any, read: tuple[Any, ...]) -> Any:
    """The economics of ``deals`` (which carry the spend), the reading notices first."""
    from dataclasses import replace

    from funnel.economics.compute import economics_of

    econ = economics_of(deals, by_month=args.spend_period == "month")
    return None if econ is None else replace(econ, notices=(*read, *econ.notices))


def cmd_report(args: argparse.Namespace) -> int:
    from funnel.deals import PERIODS, main_currency
    from funnel.metrics import funnel
    from funnel.overtime.cohorts import cohort_trends
    from funnel.report.overtime import (
        before_after_section,
        cohorts_section,
        compare_before,
        for_export,
        split_period,
    )
    from funnel.report.summary import build_report, funnel_table, segments_table, warnings

    if args.format in ("html", "pdf"):
        return _client_report(args)
    deals, table = _deals(args)
    deals, read = _with_spend(args, deals)
    econ = _economics(args, deals, read)
    by = _dims(args.by)
    source: dict[str, Any] = {
        "file": _label(args.file),
        "sheet": table.sheet,
        "header_row": table.header_row,
        "rows": len(table.frame),
        "deals": len(deals),
    }
    # A period in --by adds the Trends page's cohorts; --compare-before the Before/after page's.
    period, other = split_period(by)
    trends = cohort_trends(deals, period, other) if period else None  # type: ignore[arg-type]
    when = _date_arg(args.compare_before) if args.compare_before else None
    change_by = next((d for d in by if d not in PERIODS), None)
    change = compare_before(deals, when, change_by, equal=args.equal_windows) if when else None
    if args.format == "json":
        report = build_report(deals, by, source=source)
        if trends is not None:
            report["cohorts"] = cohorts_section(trends)
        if change is not None and when is not None:
            report["before_after"] = before_after_section(change, when, deals)
        if econ is not None:
            from funnel.report.economics import economics_section

            report["economics"] = economics_section(econ)
        _emit(_json_bytes(report), args.output)
    elif args.format == "csv":
        from funnel.io.export import to_csv_bytes

        if econ is not None and args.spend:
            frame = econ.table()
        elif change is not None:
            frame = for_export(change.table)
        elif trends is not None:
            frame = for_export(trends.table)
        else:
            frame = funnel_table(deals, by)
        _emit(to_csv_bytes(frame), args.output)
    else:
        from funnel.io.export import to_xlsx_bytes
        from funnel.report.economics import economics_sheets

        if not args.output:
            raise InputError("xlsx needs --output PATH", code="needs_output", expected="--output")
        import pandas as pd

        total = funnel(deals)
        cur = main_currency(deals)
        parts = [total] + ([funnel(deals, by)] if by else [])
        summary = pd.concat([segments_table(c, currency=cur) for c in parts], ignore_index=True)
        notes = warnings(deals, total) or ["(none)"]
        data = to_xlsx_bytes(
            {
                "Funnel": funnel_table(deals, by),
                "Segments": summary,
                "Warnings": pd.DataFrame({"warning": notes}),
                **({"Cohorts": for_export(trends.table)} if trends is not None else {}),
                **({"Before after": for_export(change.table)} if change is not None else {}),
                **(economics_sheets(econ) if econ is not None else {}),
            }
        )
        _emit(data, args.output)
    return 0


def _client_report(args: argparse.Namespace) -> int:
    """``report --format html|pdf``: the client report (see docs/report.md)."""
    from dataclasses import replace

    from funnel.document.content import client_report
    from funnel.document.html import to_html
    from funnel.spec import Change

    if args.format == "pdf" and not args.output:
        raise InputError("pdf needs --output PATH", code="needs_output", expected="--output")
    sections = _dims([args.sections]) if args.sections else list(_SECTIONS)
    unknown = [s for s in sections if s not in _SECTIONS]
    if unknown:
        raise InputError(
            f"--sections: unknown section {printable(unknown[0])!r}",
            code="bad_section",
            expected="some of " + ",".join(_SECTIONS),
        )
    if args.target is not None and not (math.isfinite(args.target) and args.target > 0):
        raise InputError(
            f"--target {args.target} is not a revenue Voronka can plan for",
            code="bad_target",
            expected="a positive number, as 1500000",
        )
    deals, table = _deals(args)
    # The client report takes the economics from the spend its deals' spec keeps.
    deals, _ = _with_spend(args, deals)
    if args.compare_before:
        when = _date_arg(args.compare_before)
        if all(c.date != when for c in deals.spec.changes):
            marked = (*deals.spec.changes, Change(when, args.compare_before.strip()))
            deals = replace(deals, spec=replace(deals.spec, changes=marked))
    source = _label(args.file) + (f" · {table.sheet}" if table.sheet else "")
    report = client_report(
        deals,
        by=_dims(args.by) or None,
        title=args.title,
        source=source,
        language=args.lang,
        sections=sections,  # type: ignore[arg-type]
        target=args.target,
        filters=deals.spec.filter,
    )
    html = to_html(report)
    if args.format == "html":
        _emit(html.encode("utf-8"), args.output)
    else:
        from funnel.document.pdf import to_pdf

        _emit(to_pdf(report, html), args.output)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    import pandas as pd

    from funnel.overtime.planner import default_target, history, plan
    from funnel.report.overtime import plain, records

    if args.target is not None and not math.isfinite(args.target):
        raise InputError(
            f"--target {args.target} is not a number Voronka can plan for",
            code="bad_target",
            expected="a finite number, as 1500000",
        )
    deals, table = _deals(args)
    kind = args.kind
    try:
        target = args.target if args.target is not None else default_target(deals, kind)
    except OverflowError:  # an overflowing sum of wins cannot be rounded
        target = math.inf
    if not math.isfinite(target):
        raise InputError(
            "the last full quarter's revenue is too large to plan from (absurd amounts?)",
            code="bad_target",
            file=_label(args.file),
            expected="--target with a finite number",
        )
    start = pd.Timestamp(_date_arg(args.start, "--from")) if args.start else None
    end = pd.Timestamp(_date_arg(args.end, "--to")) if args.end else None
    if (start is None) != (end is None):
        raise InputError("--from and --to go together", code="bad_period", expected="both")
    if start is not None and end is not None and end < start:
        raise InputError("--to is before --from", code="bad_period", expected="--from <= --to")
    hist = history(deals, args.by)
    result = plan(deals, hist, target, kind=kind, start=start, end=end, mix_basis=args.mix)
    frame = result.table()
    if args.format == "csv":
        from funnel.io.export import to_csv_bytes

        _emit(to_csv_bytes(frame), args.output)
        return 0
    totals = result.totals()
    payload = {
        "source": {"file": _label(args.file), "sheet": table.sheet, "deals": len(deals)},
        "kind": kind,
        "target": plain(target),
        "currency": hist.currency or None,
        "start": plain(result.start),
        "end": plain(result.end),
        "by": hist.by,
        "rate_basis": hist.basis,
        "mature_days": plain(hist.mature_days),
        "now": plain(hist.now),
        "mix": args.mix,
        "leads": int(totals.leads),
        "to_bring": int(totals.to_bring),
        "forecast": plain(result.forecast_total),
        "segments": records(frame),
    }
    _emit(_json_bytes(payload), args.output)
    return 0


def _json_bytes(payload: dict[str, Any]) -> bytes:
    """Strict JSON: a number JSON cannot hold (an overflowing sum, a rate of 0/0) becomes null,
    and a warning names where, in the payload's ``warnings`` and on stderr."""
    nulled: list[str] = []
    clean = _finite(payload, "", nulled)
    if nulled:
        where = ", ".join(nulled[:5]) + (f" and {len(nulled) - 5} more" if len(nulled) > 5 else "")
        note = f"{len(nulled)} number(s) too large or undefined for JSON written as null: {where}"
        if isinstance(clean.get("warnings"), list):
            clean["warnings"].append(note)
        print(f"voronka: warning: {note}", file=sys.stderr)
    text = json.dumps(clean, ensure_ascii=False, indent=2, allow_nan=False)
    return text.encode("utf-8") + b"\n"


def _finite(value: Any, path: str, nulled: list[str]) -> Any:
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        if math.isfinite(value):
            return value
        nulled.append(path or "(top)")
        return None
    if isinstance(value, dict):
        return {k: _finite(v, f"{path}.{k}" if path else str(k), nulled) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, f"{path}[{i}]", nulled) for i, v in enumerate(value)]
    return value


def _date_arg(text: str, option: str = "--compare-before") -> date:
    """2026-03-01 or 01.03.2026."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise InputError(
        f"{option}: {text!r} is not a date",
        code="bad_date",
        expected="a date as 2026-03-01 or 01.03.2026",
    )


def _emit(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"infer": cmd_infer, "report": cmd_report, "plan": cmd_plan}[args.command]
    # Every message is one escaped line naming files by their names (never a folder path).
    try:
        with warnings.catch_warnings():
            # numpy's overflow warnings are many lines; an overflow is reported as null + one
            # warning in the JSON instead (see _json_bytes).
            warnings.simplefilter("ignore", RuntimeWarning)
            return handler(args)
    except FunnelError as exc:
        print(f"voronka: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, MemoryError) as exc:
        if os.environ.get("VORONKA_DEBUG"):
            raise
        name = _label(str(getattr(exc, "filename", None) or args.file))
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        print(f"voronka: {printable(name)}: {printable(reason)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug, but the user still gets one line, not a traceback
        if os.environ.get("VORONKA_DEBUG"):
            raise
        print(
            f"voronka: {printable(_label(args.file))}: unexpected {type(exc).__name__}: "
            f"{printable(exc, 300)} (set VORONKA_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
