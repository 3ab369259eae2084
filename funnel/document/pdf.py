"""The client report as a PDF: its HTML laid out on A4 by WeasyPrint, charts kept as vectors.

WeasyPrint gets a URL fetcher that refuses every URL: the document is self-contained, and
nothing in it (a name from the file included) can make the PDF maker reach the network.
"""

from __future__ import annotations

from typing import Any, NoReturn

from funnel.document.html import to_html
from funnel.document.parts import ClientReport


class FetchRefused(ValueError):
    """The report asked WeasyPrint for a URL: it never gets one."""


def refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefused(f"the report loads nothing; refused {url[:80]!r}")


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher (its ``URLFetcher`` with every protocol disallowed) whose
    ``fetch`` refuses every URL before anything is opened."""
    from weasyprint.urls import URLFetcher

    class Refusing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> NoReturn:
            refuse(url)

    return Refusing(allowed_protocols=(), allow_redirects=False, timeout=0.001)


def html_to_pdf(html: str) -> bytes:
    """A4 PDF bytes of a report's HTML (see ``funnel.document.html``)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=refusing_fetcher(), base_url=None).write_pdf()


def to_pdf(report: ClientReport, html: str | None = None) -> bytes:
    """The report as PDF bytes; ``html``: its HTML when already made (``to_html``)."""
    return html_to_pdf(html if html is not None else to_html(report))
