"""The QBR report's advisories section (order 70): the practice's published advisories targeted at
the client (all clients, its industry, or chosen), most recent first. One query. Bodies are Markdown
rendered safely (qbr.markdown: no raw HTML, no images, links only http(s)/mailto)."""

from django.utils.safestring import mark_safe

from .advisory_selectors import advisories_for_client
from .markdown import render_markdown
from .report_sections import Headline, ReportScope, register_report_section

LIMIT = 8


def gather_advisories(scope: ReportScope) -> dict:
    found = advisories_for_client(client=scope.client, today=scope.today, limit=LIMIT + 1)
    rows = [
        {
            "title": a.title,
            "category": a.get_category_display(),
            "severity": a.get_severity_display(),
            "severity_key": a.severity,
            "published_on": a.published_on,
            "body": mark_safe(render_markdown(a.body)),  # noqa: S308 — sanitised by nh3
            "link": a.link,
        }
        for a in found[:LIMIT]
    ]
    urgent = sum(1 for a in found[:LIMIT] if a.severity in ("critical", "important"))
    headlines = []
    if rows:
        headlines.append(
            Headline("advisories", "Advisories", str(len(rows)), f"{urgent} important or critical")
        )
    return {"rows": rows, "more": len(found) > LIMIT, "headlines": headlines}


def register() -> None:
    register_report_section(
        key="advisories",
        title="Advisories",
        order=70,
        gather=gather_advisories,
        template="pdf/qbr/sections/advisories.html",
    )
