"""What the project-wide isolation walk (tests/test_url_isolation.py) puts into URLs and API routes.

**When your app adds a URL (page or API route) with a new object id, or a new tenant model, add a
factory here.** The walk fails, saying what is missing, until you do.

Each entry maps a key to `factory(scope) -> model object` (its pk goes into the URL), or to a `str`
that goes into the URL as it is (e.g. an invitation's raw token). The walk calls every factory three
times, with three scopes, so one factory serves every check:

- practice B (another practice) and its client — must be a 404 for practice A;
- practice A and its *other* client — must be a 404 under A's first client (same practice, other client);
- practice A and its first client — the caller's own object: must NOT be a 404 (the positive control).

`scope` has `practice`, `owner` (an owner of that practice), `client` (the client to put the object
under), `canary(kind)`: a unique, recognisable name ("Canary-b-initiative-12") to use as the object's
name or title, `email(kind)`: a canary e-mail address (lower case, as the services store it), `user(kind)`:
a new user whose name and e-mail are canaries, and `object(key)`: another factory's object of the same
scope (made once), so a factory can link what it makes (an initiative's sponsor, goals). The walk
checks, case-insensitively, that no other scope's canary ever shows up in a response.

Keys are looked up, most specific first, as "<namespace>:<url name>:<kwarg>", then "api:<prefix>" for
API routes (`/api/v1/<prefix>/{pk}/…`), then the longest "<path before it>/<kwarg>" the route ends with
(for generic names such as `pk`: "initiatives/pk"), then "<kwarg>".

Every tenant model (a `vcio.models.TenantModel`) must be made by some factory here — named in a URL or
not — so the canary check sees one of each kind in every scope; a model no URL names gets an entry
keyed by its label ("roadmaps.InitiativeStatusChange").
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.apikey_services import api_key_create
from accounts.member_services import invitation_create
from accounts.models import Role
from budgets import actual_services
from budgets import services as budget_services
from clients.models import PortalAccess
from clients.portal_services import portal_invitation_create
from compliance import services as compliance_services
from portal import services as portal_services
from qbr import advisory_services
from qbr import services as qbr_services
from qbr.models import ReminderLog
from qbr.notifications import notification_create
from qbr.reminders import preference_update
from roadmaps.services import goal_create, initiative_create, initiative_transition
from vcio.fiscal import FiscalQuarter
from vendors import services as vendor_services
from vendors.tokens import feed_token

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    ContactFactory,
    InitiativeTemplateFactory,
    MembershipFactory,
    QBRReportFactory,
    ReportBatchFactory,
    StandardFactory,
    StandardFrameworkFactory,
)

OBJECTS = {
    # clients
    "client_pk": lambda s: s.client,
    "contact_pk": lambda s: ContactFactory(
        client=s.client, name=s.canary("contact"), title=s.canary("contact-title"), email=s.email("contact")
    ),
    "portal-access/invitations/invitation_pk": lambda s: portal_invitation_create(
        client=s.client, actor=s.owner, email=s.email("exec")
    )[0],
    "access_pk": lambda s: PortalAccess.objects.create(
        practice=s.practice, client=s.client, user=s.user("portal-user")
    ),
    # accounts (practice-level: the client is not used)
    "key_pk": lambda s: api_key_create(
        practice=s.practice, actor=s.owner, name=s.canary("key"), read_only=True
    )[0],
    "membership_pk": lambda s: MembershipFactory(
        practice=s.practice, role=Role.VIEWER, user=s.user("member")
    ),
    "invitations/invitation_pk": lambda s: invitation_create(
        practice=s.practice, actor=s.owner, email=s.email("invitee"), role=Role.CONSULTANT
    )[0],
    # The link in an invitation e-mail: a raw token, not an id.
    "token": lambda s: invitation_create(
        practice=s.practice, actor=s.owner, email=s.email("link-invitee"), role=Role.VIEWER
    )[1],
    # roadmaps
    "goals/pk": lambda s: goal_create(
        client=s.client,
        actor=s.owner,
        title=s.canary("goal"),
        description=s.canary("goal-text"),
        fiscal_year=2027,
    ),
    # With an owner, a sponsor and a goal: plants roadmaps.InitiativeGoal too.
    "initiatives/pk": lambda s: initiative_create(
        client=s.client,
        actor=s.owner,
        target_start=FiscalQuarter(2027, 1),
        title=s.canary("initiative"),
        description=s.canary("initiative-text"),
        owner=s.owner,
        sponsor=s.object("contact_pk"),
        goals=[s.object("goals/pk")],
    ),
    # vendors: a vendor is practice-level; a contract is under the scope's client, and so is the log
    # entry about it
    "vendors/pk": lambda s: vendor_services.vendor_create(
        practice=s.practice,
        actor=s.owner,
        name=s.canary("vendor"),
        category="isp",
        account_manager_name=s.canary("vendor-manager"),
        account_manager_email=s.email("vendor-manager"),
    ),
    "contracts/pk": lambda s: vendor_services.contract_create(
        client=s.client,
        actor=s.owner,
        vendor=s.object("vendors/pk"),
        name=s.canary("contract"),
        start_date=date(2026, 1, 31),
        term_months=12,
        notice_days=30,
        cost=Decimal("22.00"),
        quantity=10,
        owner=s.owner,
        notes=s.canary("contract-notes"),
    ),
    "interactions/pk": lambda s: vendor_services.interaction_create(
        vendor=s.object("vendors/pk"),
        actor=s.owner,
        client=s.client,
        contract=s.object("contracts/pk"),
        date=date(2026, 3, 2),
        kind="call",
        summary=s.canary("interaction"),
        who=s.owner,
    ),
    # The secret calendar link of the scope's owner (a raw token, not an id).
    "vendor_feeds:renewals:token": lambda s: feed_token(
        vendor_services.calendar_feed_create(practice=s.practice, user=s.owner, actor=s.owner)
    ),
    # Tenant models no URL names (planted for the canary check).
    "roadmaps.InitiativeStatusChange": lambda s: initiative_transition(
        initiative=s.object("initiatives/pk"), actor=s.owner, to="approved", note=s.canary("status-note")
    ).status_changes.get(),
    # the initiative library (practice-level: the client is not used)
    "template_pk": lambda s: InitiativeTemplateFactory(
        practice=s.practice, title=s.canary("template"), description=s.canary("template-text")
    ),
    # compliance: the client's adoption, assessment and answers (of a framework of the practice's own
    # standards), and the practice's standards library. The shipped catalogs are global (the same for
    # every practice, read-only): they are never "another practice's object", so no factory makes one.
    "framework_pk": lambda s: _standards_framework(s),
    "items/pk": lambda s: s.object("framework_pk").standards.order_by("order").first(),
    "adoption_pk": lambda s: compliance_services.adoption_create(
        client=s.client, actor=s.owner, framework=s.object("framework_pk"), scope_note=s.canary("scope")
    ),
    "assessment_pk": lambda s: compliance_services.assessment_start(
        adoption=s.object("adoption_pk"), actor=s.owner, title=s.canary("assessment")
    ),
    "answers/pk": lambda s: s.object("assessment_pk").responses.order_by("created_at").first(),
    # Tenant models no URL names: an answer's evidence link and the initiative that addresses it.
    "compliance.EvidenceLink": lambda s: _answer_with_links(s).evidence_links.get(),
    "compliance.InitiativeLink": lambda s: _answer_with_links(s).assessment.adoption.initiative_links.get(),
    # qbr (agenda items and action items sit under the scope's meeting)
    "meeting_pk": lambda s: qbr_services.meeting_create(
        client=s.client,
        actor=s.owner,
        kind="qbr",
        title=s.canary("meeting"),
        scheduled_at=timezone.now() + timedelta(days=14),
        members=[s.owner],
        contacts=[s.object("contact_pk")],
        agenda=["Review the roadmap"],
    ),
    # Tenant models no URL names: the meeting's attendees (planted above) and the practice's settings.
    "qbr.MeetingMember": lambda s: s.object("meeting_pk").member_links.get(),
    "qbr.MeetingContact": lambda s: s.object("meeting_pk").contact_links.get(),
    "qbr.QBRSettings": lambda s: qbr_services.qbr_settings_update(
        practice=s.practice, actor=s.owner, lead_time_days=7
    ),
    "agenda/item_pk": lambda s: AgendaItemFactory(meeting=s.object("meeting_pk"), title=s.canary("agenda")),
    "action_pk": lambda s: ActionItemFactory(meeting=s.object("meeting_pk"), description=s.canary("action")),
    "report_pk": lambda s: QBRReportFactory(client=s.client, ready=True),
    "batch_pk": lambda s: ReportBatchFactory(practice=s.practice),
    # portal: the client's section choices (every section shown, so the walk reaches every portal
    # page; hidden sections are tested in tests/portal/)
    "portal.PortalSettings": lambda s: portal_services.portal_settings_update(
        client=s.client, actor=s.owner, hidden_sections=[]
    ),
    # qbr advisories (practice-level pages; published and targeted at the scope's client, whose
    # overview then lists it): the advisory and its chosen-client row (the through table).
    "advisory_pk": lambda s: _published_advisory(s),
    "advisories/pk": lambda s: s.object("advisory_pk"),
    "qbr.AdvisoryClient": lambda s: s.object("advisory_pk").client_links.get(),
    # the consultant's week: the scope owner's notification (the walk's caller is A's owner: their own
    # is the positive control), a reminder already sent, and their reminder settings
    "notification_pk": lambda s: notification_create(
        practice=s.practice,
        recipient=s.owner,
        kind="meeting",
        title=s.canary("notification"),
        body=s.canary("notification-body"),
        link=f"/p/{s.practice.slug}/clients/{s.client.pk}/qbr/",
    ),
    "qbr.ReminderLog": lambda s: ReminderLog.objects.create(
        practice=s.practice,
        kind="meeting",
        object_id=s.object("meeting_pk").pk,
        due_date=date(2027, 1, 4),
        recipient=s.owner,
        digest_day=date(2027, 1, 4),
    ),
    "qbr.ReminderPreference": lambda s: preference_update(
        practice=s.practice,
        user=s.owner,
        actor=s.owner,
        disabled_kinds=["notice"],
        frequency="weekly",
        email=True,
    ),
}


def _published_advisory(s):
    advisory = advisory_services.advisory_create(
        practice=s.practice,
        actor=s.owner,
        title=s.canary("advisory"),
        body=s.canary("advisory-body"),
        category="security",
        severity="important",
        targeting="clients",
        clients=[s.client],
    )
    return advisory_services.advisory_publish(advisory=advisory, actor=s.owner)


# budgets: the scope's client's FY2027 budget, built from its roadmap and contracts (the approved
# initiative and the contract above become lines named by their canaries), a manual line, a scenario,
# actual spend paying the line, and the practice's budget settings (practice-level).
OBJECTS.update(
    {
        "budget_pk": lambda s: _built_budget(s),
        "line_pk": lambda s: budget_services.line_create(
            budget=s.object("budget_pk"),
            actor=s.owner,
            name=s.canary("budget-line"),
            category="training",
            expense_type="opex",
            recurrence="quarterly",
            amount=Decimal("450.00"),
            first_month=2,
            months=None,
            vendor=s.object("vendors/pk"),
            notes=s.canary("budget-line-notes"),
        ),
        "actual_pk": lambda s: actual_services.actual_create(
            client=s.client,
            actor=s.owner,
            date=date(2027, 2, 10),
            amount=Decimal("455.00"),
            category="training",
            vendor=s.object("vendors/pk"),
            budget_line=s.object("line_pk"),
            description=s.canary("actual"),
        ),
        "scenario": lambda s: budget_services.scenario_create(
            budget=s.object("budget_pk"),
            actor=s.owner,
            name=s.canary("scenario"),
            notes=s.canary("scenario-notes"),
        ),
        "budgets.BudgetSettings": lambda s: budget_services.budget_settings_update(
            practice=s.practice, actor=s.owner, inflation_rate=Decimal("4.25")
        ),
    }
)


def _built_budget(s):
    s.object("roadmaps.InitiativeStatusChange")  # the initiative is approved: the build counts it
    s.object("contracts/pk")
    return budget_services.budget_create(
        client=s.client, actor=s.owner, fiscal_year=2027, notes=s.canary("budget-notes"), build=True
    )


# API routes: "api:<prefix>" -> factory (the same scopes).
OBJECTS.update(
    {
        "api:clients": OBJECTS["client_pk"],
        "api:contacts": OBJECTS["contact_pk"],
        "api:goals": OBJECTS["goals/pk"],
        "api:initiatives": OBJECTS["initiatives/pk"],
        "api:initiative-templates": OBJECTS["template_pk"],
        "api:frameworks": OBJECTS["framework_pk"],
        "api:requirements": OBJECTS["items/pk"],
        "api:standard-frameworks": OBJECTS["framework_pk"],
        "api:standards": OBJECTS["items/pk"],
        "api:adoptions": OBJECTS["adoption_pk"],
        "api:assessments": OBJECTS["assessment_pk"],
        "api:responses": OBJECTS["answers/pk"],
        "api:vendors": OBJECTS["vendors/pk"],
        "api:contracts": OBJECTS["contracts/pk"],
        "api:interactions": OBJECTS["interactions/pk"],
        "api:meetings": OBJECTS["meeting_pk"],
        "api:action-items": OBJECTS["action_pk"],
        "api:qbr-reports": OBJECTS["report_pk"],
        "api:notifications": OBJECTS["notification_pk"],
        "api:budgets": OBJECTS["budget_pk"],
        "api:scenarios": OBJECTS["scenario"],
        "api:budget-lines": OBJECTS["line_pk"],
        "api:actuals": OBJECTS["actual_pk"],
    }
)


def _standards_framework(s):
    """A framework of the practice's own standards (practice-level) with two standards."""
    framework = StandardFrameworkFactory(practice=s.practice, name=s.canary("standards"))
    for n in (1, 2):
        StandardFactory(framework=framework, title=s.canary("standard"), order=n)
    return framework


def _answer_with_links(s):
    """An answer of the scope's assessment with an evidence link and an initiative (once per scope)."""
    answer = s.object("answers/pk")
    if not answer.evidence_links.exists():
        compliance_services.response_update(
            response=answer,
            actor=s.owner,
            evidence_links=[
                (f"https://evidence.example.com/{s.canary('evidence').lower()}", s.canary("evidence"))
            ],
            initiatives=[s.object("initiatives/pk")],
        )
    return answer
