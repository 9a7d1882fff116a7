"""Reads of the portal: composed from the other apps' selectors (never their views), each taking the
client explicitly. What the portal shows is chosen here, field by field: internal fields (client and
contract notes, budget and line notes, evidence notes and links, meeting notes, status-change notes,
rejected initiatives and their costs, what-if scenarios) are never read into a portal page."""

from dataclasses import dataclass, field
from datetime import date

from budgets import selectors as budget_selectors
from clients import selectors as client_selectors
from clients.models import Client, PortalAccess
from compliance import selectors as compliance_selectors
from compliance import summary_selectors as compliance_summary_selectors
from qbr import selectors as qbr_selectors
from qbr.models import ReportStatus
from roadmaps import selectors as roadmap_selectors
from roadmaps.models import GoalStatus, Status
from vcio.tenancy import all_practices
from vendors import selectors as vendor_selectors

from .models import PortalSettings

DASHBOARD_GOALS = 6
DASHBOARD_ACTIONS = 10
RENEWAL_DAYS = 365
PORTAL_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.IN_PROGRESS, Status.DONE, Status.DEFERRED)


def portal_settings(*, client: Client) -> PortalSettings:
    """The client's portal settings (an unsaved row showing every section when none was saved)."""
    return PortalSettings.objects.for_client(client).first() or PortalSettings(
        practice_id=client.practice_id, client=client, hidden_sections=[]
    )


def accesses_of_all_practices(*, user) -> list[PortalAccess]:
    """The user's portal accesses with their clients' and practices' names, for the chooser. The
    clients may be of several practices: read inside the one audited span (the user's own rows)."""
    with all_practices("portal chooser: the names of the executive's own clients"):
        return list(
            PortalAccess.objects.all_practices()
            .filter(user_id=user.pk)
            .select_related("client", "practice")
            .order_by("client__name", "practice__name", "pk")
        )


def has_portal_access(*, user) -> bool:
    """Does the user have any portal access (their own rows: row-level security's `tenant_user_read`)?"""
    return PortalAccess.objects.filter(user_id=user.pk).exists()


# --- the dashboard ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    goals: list = field(default_factory=list)
    more_goals: bool = False
    compliance: list = field(default_factory=list)
    budget: object = None
    next_qbr: object = None
    my_actions: list = field(default_factory=list)
    more_actions: bool = False
    latest_report: object = None


def goal_rows(goals) -> list[dict]:
    rows = []
    for goal in goals:
        total, done = goal.initiative_total, goal.initiative_done
        rows.append(
            {"goal": goal, "total": total, "done": done, "percent": round(100 * done / total) if total else 0}
        )
    return rows


def dashboard(*, client: Client, email: str, shows, today: date) -> Dashboard:
    """What the executive sees first; a constant number of queries whatever the client's size. `shows`
    is `PortalSettings.shows`: a hidden section's card is not read at all."""
    data = Dashboard()
    goals = roadmap_selectors.goal_list(client=client).exclude(status=GoalStatus.DROPPED)
    if shows("roadmap"):
        rows = goal_rows(goals[: DASHBOARD_GOALS + 1])  # one more: is there more to see?
        data.goals, data.more_goals = rows[:DASHBOARD_GOALS], len(rows) > DASHBOARD_GOALS
    if shows("compliance"):
        data.compliance = compliance_summary_selectors.client_compliance_summary(client=client, today=today)
    if shows("budget"):
        data.budget = budget_selectors.panel_figures(client=client, today=today, shared_only=True)
    if shows("meetings"):
        data.next_qbr = qbr_selectors.next_planned_qbr(client=client)
        mine = qbr_selectors.open_action_items_of_contact(client=client, email=email)
        rows = list(mine[: DASHBOARD_ACTIONS + 1])
        data.my_actions, data.more_actions = rows[:DASHBOARD_ACTIONS], len(rows) > DASHBOARD_ACTIONS
    if shows("reports"):
        data.latest_report = client_reports(client=client).first()
    return data


# --- sections -----------------------------------------------------------------------------------------


def roadmap_initiatives(*, client: Client):
    """The client's initiatives for the portal's list: every status but rejected (an idea the practice
    turned down, and its costs, stay internal), in plan order."""
    return (
        roadmap_selectors.initiatives_of(client=client)
        .filter(status__in=PORTAL_STATUSES)
        .order_by("target_start", "priority_rank", "title", "pk")
    )


def upcoming_renewals(*, client: Client, today: date) -> list:
    return vendor_selectors.upcoming_renewals(
        practice=client.practice_id, client=client, within_days=RENEWAL_DAYS, today=today
    )


def client_reports(*, client: Client):
    """The client's generated reports (done, with their PDF), newest period first."""
    return qbr_selectors.client_reports(client=client).filter(status=ReportStatus.DONE).exclude(pdf="")


def compliance_frameworks(*, client: Client, today: date) -> list[dict]:
    """Per adopted framework: its summary (score, trend) and its scores by group (two queries per
    framework with an assessment; a client adopts a handful)."""
    rows = []
    for summary in compliance_summary_selectors.client_compliance_summary(client=client, today=today):
        scores = None
        if summary.current is not None:
            summary.current.adoption = summary.adoption  # already read: no query for it
            scores = compliance_selectors.framework_scores(assessment=summary.current)
        rows.append({"summary": summary, "scores": scores})
    return rows


def compliance_gaps(*, client: Client, today: date, limit: int = 25) -> list:
    return compliance_summary_selectors.top_gaps(client=client, limit=limit, today=today)


def portal_user_count(*, client: Client) -> int:
    return client_selectors.portal_users(client=client).count()
