"""``python -m funnel report --format html|pdf``: the client report from the command line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from funnel.cli import main
from tests.test_document_render import parsed

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "sample_data" / "pipedrive_deals.csv")
SPEC = str(ROOT / "sample_data" / "pipedrive_deals.doors.spec.yaml")


def sections_of(html: str) -> list[str]:
    return re.findall(r'<section id="([a-z]+)"', html)


def test_html_in_english_with_a_title(tmp_path):
    out = tmp_path / "report.html"
    code = main(
        [
            "report",
            SAMPLE,
            "--spec",
            SPEC,
            "--format",
            "html",
            "-o",
            str(out),
            "--lang",
            "en",
            "--title",
            "Doors & Co <ltd>",
            "--by",
            "channel",
        ]
    )
    assert code == 0
    html = out.read_text(encoding="utf-8")
    page = parsed(html)
    assert "Doors & Co <ltd>" in page.visible
    assert "script" not in page.tags and page.urls == []
    # The file has dates and a marked change: every section but the plan (no --target).
    assert sections_of(html) == [
        "conclusions",
        "funnel",
        "compare",
        "leaks",
        "trends",
        "changes",
        "velocity",
        "method",
        "appendix",
    ]
    assert "Channel" in page.visible and "Product" not in page.visible  # only --by channel
    assert "Conclusions" in page.visible and "Where deals are lost" in page.visible


def test_sections_target_and_a_change_from_the_command_line(tmp_path, capsysbinary):
    args = ["report", SAMPLE, "--spec", SPEC, "--format", "html", "--sections", "changes,plan"]
    code = main([*args, "--target", "5000000", "--compare-before", "2026-06-01"])
    assert code == 0
    html = capsysbinary.readouterr().out.decode("utf-8")  # no -o: standard output
    assert sections_of(html) == ["changes", "plan"]
    page = parsed(html)
    assert "5 000 000" in page.visible.replace("\u00a0", " ")  # the target, Russian grouping
    assert "01.06.2026" in page.visible  # the change asked for, next to the spec's own


def test_pdf_needs_an_output_and_is_a4(tmp_path, capsys):
    assert main(["report", SAMPLE, "--spec", SPEC, "--format", "pdf"]) == 2
    assert "pdf needs --output" in capsys.readouterr().err
    out = tmp_path / "report.pdf"
    args = ["report", SAMPLE, "--spec", SPEC, "--format", "pdf", "-o", str(out)]
    assert main([*args, "--sections", "conclusions,funnel", "--title", "Двери"]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert 3 <= len(reader.pages) <= 6
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    assert "Двери" in text and "Выводы" in text and "Воронка" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sections", "funnel,nonsense"], "unknown section"),
        (["--target", "-5"], "--target"),
    ],
)
def test_bad_options_exit_2_with_one_line(extra, message, capsys):
    code = main(["report", SAMPLE, "--spec", SPEC, "--format", "html", *extra])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_cli_offers_exactly_the_report_s_sections():
    """The parser names the sections without importing the engine; they must stay the same."""
    from funnel import cli
    from funnel.document.content import SECTIONS

    assert cli._SECTIONS == SECTIONS
