"""The report as HTML (a fragment for the site's frame, and a whole document) and as PDF through WeasyPrint.

The PDF is made as PDF/UA-1 (WeasyPrint tags headings, paragraphs, lists, tables and figures, and writes the
document's language and title from `<html lang>` and `<title>`); images carry their alternative text. WeasyPrint
fetches nothing from outside: the charts are inline data and the stylesheet is read from the app's files.
"""

import logging
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .selectors import FollowUpReport

STYLESHEET = "reports/report.css"
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint reports each layout step at INFO; a report's log needs only its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class RenderError(Exception):
    """The PDF could not be made."""


def render_body(report: FollowUpReport, *, internal: bool, static: bool = False, snapshot: Any = None) -> str:
    """The report's body: the same fragment on the page, in the PDF and in a snapshot. `static` leaves out links
    that need a server (a document kept in the follow-up)."""
    with translation.override(report.language):
        return render_to_string(
            "reports/_report.html",
            {"report": report, "internal": internal and not static, "static": static, "snapshot": snapshot},
        )


def _stylesheet() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise RenderError(f"the report's stylesheet {STYLESHEET} is missing")
    return Path(str(found))


def render_document(report: FollowUpReport, body: str, *, inline_style: bool = False) -> str:
    """The whole HTML document around the body; `inline_style` puts the stylesheet inside it (a file to keep or
    to edit, opened without a server; the PDF gets the stylesheet from WeasyPrint instead)."""
    style = _stylesheet().read_text(encoding="utf-8") if inline_style else ""
    with translation.override(report.language):
        context = {"report": report, "body": mark_safe(body), "style": style}  # noqa: S308 - our own rendering
        return render_to_string("reports/document.html", context)


# A last page filled less than this (a share of its height) is an orphan: a line or two after a page break.
ORPHAN_FILL = 0.2
LAST_BREAK_CLASS = "report-last-break"


def last_page_fill(rendered: Any) -> float:
    """How much of the last page's content area holds text (0–1), measured from its laid-out line boxes."""
    from weasyprint.formatting_structure import boxes

    page = rendered.pages[-1]
    box = page._page_box  # WeasyPrint's laid-out page: the only place the lines' positions are known
    top = box.content_box_y()
    height = box.height or 1
    bottom = top
    for root in box.children:
        if isinstance(root, boxes.MarginBox):
            continue  # the page number at the foot of every page
        for child in root.descendants():
            if isinstance(child, boxes.LineBox):
                bottom = max(bottom, child.position_y + child.height)
    return max(0.0, min(1.0, (bottom - top) / height))


def pdf_bytes(document: str) -> bytes:
    """The whole HTML document as a tagged PDF (PDF/UA-1) with the report's language and title.

    No orphan last page: when the last page would hold only a few lines, the document is laid out again with
    the last section (the list of missing data) starting on a page of its own, so it ends the report whole."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Only inline data: the charts are data addresses, the stylesheet is given as a file below.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    stylesheets = [CSS(filename=str(_stylesheet()))]

    def render(source: str) -> Any:
        return HTML(string=source, url_fetcher=fetcher, base_url=None).render(
            stylesheets=stylesheets, pdf_variant=PDF_VARIANT
        )

    rendered = render(document)
    marker = '<body class="report-document">'
    if len(rendered.pages) > 2 and last_page_fill(rendered) < ORPHAN_FILL and marker in document:
        again = render(document.replace(marker, f'<body class="report-document {LAST_BREAK_CLASS}">', 1))
        if last_page_fill(again) >= ORPHAN_FILL:
            rendered = again
    result = rendered.write_pdf(pdf_variant=PDF_VARIANT)
    if result is None:
        raise RenderError("WeasyPrint wrote no PDF")
    return bytes(result)


def report_pdf(report: FollowUpReport) -> bytes:
    return pdf_bytes(render_document(report, render_body(report, internal=False, static=True)))
