"""The QBR report's compliance section (order 50): the posture per adopted framework — its score,
the change against the previous assessment, a chart — and the top 10 open gaps. qbr may import
compliance. Evidence notes are internal: they are never gathered (only a gap's reference, title,
framework, status, owner and due date leave this module).

Fixed queries (compliance's summary selectors: the summary's five, the gaps' one), whatever the
number of frameworks, assessments and answers."""

from compliance import summary_selectors as compliance_summary_selectors
from vcio import charts

from .report_sections import Headline, ReportScope, register_report_section

GAP_LIMIT = 10


def _change(summary) -> object:
    """Points against the previous assessment: an assessment in progress against the last completed
    one; the last completed one against the one before it."""
    if summary.in_progress is not None:
        return summary.change
    trend = summary.trend
    if len(trend) >= 2 and trend[-1].percent is not None and trend[-2].percent is not None:
        return trend[-1].percent - trend[-2].percent
    return None


def gather_compliance(scope: ReportScope) -> dict:
    client = scope.client
    summaries = compliance_summary_selectors.client_compliance_summary(client=client, today=scope.today)
    frameworks = []
    for s in summaries:
        change = _change(s)
        frameworks.append(
            {
                "name": s.framework.label,
                "percent": s.percent,
                "change": change,
                "state": "in progress"
                if s.in_progress is not None
                else ("completed" if s.current else "not assessed"),
                "assessed_on": (
                    s.last_completed.completed_at.date()
                    if s.in_progress is None and s.last_completed
                    else None
                ),
                "gaps": s.gaps,
                "overdue": s.overdue,
                "trend": [p.percent for p in s.trend],
            }
        )
    gaps = [
        {
            "ref": r.item_ref,
            "title": r.item.title if r.item else "",
            "framework": r.assessment.adoption.the_framework.label,
            "status": r.get_status_display(),
            "owner": r.owner.display_name if r.owner_id else "",
            "due_date": r.due_date,
            "overdue": bool(r.due_date and r.due_date < scope.today),
        }
        for r in compliance_summary_selectors.top_gaps(client=client, limit=GAP_LIMIT, today=scope.today)
    ]
    scored = [f for f in frameworks if f["percent"] is not None]
    chart = ""
    if scored:
        chart = charts.horizontal_bars(
            [f["percent"] for f in scored],
            [f["name"] for f in scored],
            title="Compliance score per framework",
            accent=scope.accent,
            max_value=100,
            value_format=lambda v: f"{v:g}%",
        )
    headlines, highlights = [], []
    if scored:
        lowest = min(scored, key=lambda f: f["percent"])
        headlines.append(
            Headline("compliance", "Compliance score", f"{lowest['percent']}%", f"{lowest['name']}")
            if len(scored) == 1
            else Headline(
                "compliance", "Lowest compliance score", f"{lowest['percent']}%", f"{lowest['name']}"
            )
        )
        for f in scored:
            if f["change"]:
                sign = "+" if f["change"] > 0 else ""
                highlights.append(
                    f"{f['name']}: {f['percent']}% ({sign}{f['change']} points since the previous assessment)."
                )
    return {
        "frameworks": frameworks,
        "chart": chart,
        "gaps": gaps,
        "headlines": headlines,
        "highlights": highlights,
    }


def register() -> None:
    register_report_section(
        key="compliance",
        title="Compliance",
        order=50,
        gather=gather_compliance,
        template="pdf/qbr/sections/compliance.html",
    )
