"""The QBR report's section registry: the report is the registered sections, in order.

An app adds a section in its `AppConfig.ready()` (qbr imports no app above it, and an app below qbr
must not import qbr — so the *integration* is registered by qbr's own `apps.py` or by a module of the
higher app that qbr is allowed to import; see qbr/README.md, "Adding a report section")::

    from qbr.report_sections import Headline, register_report_section

    def gather_budget(scope):                      # scope: a ReportScope (see below)
        data = budgets.selectors.qbr_budget_summary(client=scope.client, year=scope.period.year)
        return {
            "budget": data,                        # anything the template needs, fully evaluated:
            "chart": vcio.charts.bar_chart(...),   #   lists, numbers, SVG — no lazy querysets
            "headlines": [Headline("budget", "Budget spent", "62%", "of FY2027, 75% of the year gone")],
            "highlights": ["Spend is on plan for FY2027."],   # optional sentences for the summary
        }

    register_report_section(
        key="budget", title="Budget", order=40, gather=gather_budget, template="pdf/qbr/sections/budget.html"
    )

Rules a section keeps (a test enforces the query count for the registered ones):
- `gather(scope)` runs a **constant** number of queries whatever the client's size, every one scoped
  by `scope.client` (practice and client), and returns plain data: the template must not query.
- The template is an include rendered with `data` (the dict), `scope`, `practice`, `client`, `report`.
  It holds the section's body only; the report adds the section's title, anchor and page break.
- `headlines` (optional) are the section's headline numbers, shown together on the executive summary.
- Orders in use: cover 0, summary 10, goals 20, roadmap 30, budget 40, compliance 50, renewals 60,
  advisories 70, action items 80, agenda 90.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vcio.fiscal import FiscalQuarter


@dataclass(frozen=True)
class ReportScope:
    """What a section's `gather` gets: the client, the report's fiscal quarter (the client's fiscal
    calendar), the day the report is made (the practice's local date), the meeting the report is for
    (or None), and the practice's branding."""

    practice: Any
    client: Any
    period: FiscalQuarter
    today: date
    meeting: Any = None
    currency: str = "USD"
    accent: str = "#1f6feb"


@dataclass(frozen=True)
class Headline:
    """One headline number of the executive summary, e.g. ("roadmap", "In progress", "4", "initiatives")."""

    section: str
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    gather: Callable[[ReportScope], dict]
    template: str
    in_toc: bool = True  # the cover is not listed in the table of contents


_SECTIONS: dict[str, ReportSection] = {}


def register_report_section(
    *,
    key: str,
    title: str,
    order: int,
    gather: Callable[[ReportScope], dict],
    template: str,
    in_toc: bool = True,
) -> None:
    """Add (or replace, by key) a section of the QBR report."""
    _SECTIONS[key] = ReportSection(
        key=key, title=title, order=order, gather=gather, template=template, in_toc=in_toc
    )


def unregister_report_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def report_sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass
class GatheredSection:
    key: str
    title: str
    template: str
    in_toc: bool
    data: dict


@dataclass
class ReportData:
    """Everything the report template shows, gathered once."""

    scope: ReportScope
    sections: list[GatheredSection] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)

    @property
    def toc(self) -> list[GatheredSection]:
        return [s for s in self.sections if s.in_toc]


def gather_report(scope: ReportScope) -> ReportData:
    """Run every registered section's `gather` in order; collect the headlines and highlights."""
    report = ReportData(scope=scope)
    for section in report_sections():
        data = section.gather(scope) or {}
        report.sections.append(
            GatheredSection(section.key, section.title, section.template, section.in_toc, data)
        )
        report.headlines.extend(data.get("headlines", ()))
        report.highlights.extend(data.get("highlights", ()))
    return report
