"""The client report: its content from the engine's numbers, then HTML and PDF for people.

``client_report`` (content) returns data and finding codes; ``to_html`` and ``to_pdf`` word
and draw it in Russian or English.
"""

from funnel.document.content import ClientReport, client_report

__all__ = ["ClientReport", "client_report"]
