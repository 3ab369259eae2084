"""The client report as one self-contained HTML file: words, tables and inline SVG charts.

Charts are drawn to SVG by vl-convert (no browser); the template escapes every text, so a name
from the file reaches the page as text, never as markup. The page loads nothing and runs nothing:
no script, no external URL, and a Content-Security-Policy that forbids both.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from funnel.document import words
from funnel.document.appendix import appendix
from funnel.document.blocks import Block, Formats, Part
from funnel.document.parts import ClientReport
from funnel.document.sections import BUILDERS
from funnel.document.template import CSS, TEMPLATE

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def _cover(report: ClientReport, f: Formats) -> list[tuple[str, str]]:
    c = report.cover
    if c.period_from is not None:
        period = f"{f.day(c.period_from)} – {f.day(c.period_to)}"
    else:
        period = f.w("period_unknown")
    parts = [f"{words.role(k, f.language)}: {', '.join(v)}" for k, v in c.filters]
    if c.created_from or c.created_to:
        parts.insert(
            0,
            f.w(
                "created_range",
                start=f.day(c.created_from) if c.created_from else "…",
                end=f.day(c.created_to) if c.created_to else "…",
            ),
        )
    filters = "; ".join(parts) or f.w("no_filters")
    return [
        (f.w("source"), c.source or "—"),
        (f.w("period"), period),
        (f.w("deals_in"), f.n(c.deals)),
        (f.w("filters"), filters),
        (f.w("made"), f.day(c.made)),
        (f.w("language"), f.w("language_name")),
    ]


def _captioned(part: Part) -> Part:
    """Each chart with the caption that follows it as one figure: a page never parts them."""
    blocks: list[Block] = []
    for block in part.blocks:
        if block.kind == "caption" and blocks and blocks[-1].kind == "chart":
            blocks[-1].text = block.text
        else:
            blocks.append(block)
    part.blocks = blocks
    return part


def to_html(report: ClientReport) -> str:
    """The report as one HTML document (UTF-8 text), ready to save, open or print."""
    f = Formats(report.language, report.currency)
    parts = [_captioned(BUILDERS[key](report, f)) for key in report.sections]
    tables = appendix(report, f) if "method" in report.sections else None
    if tables is not None:
        parts.append(tables)
    title = report.cover.title or f.w("report")
    return _TEMPLATE.render(
        lang=report.language,
        title=title,
        kicker=f.w("report") if report.cover.title else "",
        css=Markup(CSS),
        cover=_cover(report, f),
        contents=f.w("contents"),
        sections=parts,
    )
