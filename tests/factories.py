"""Factories for every model. Tenant-owned factories take `practice` from their parent."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, Practice, Role, User
from clients.models import Client, Contact

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    practice = factory.SubFactory(PracticeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONSULTANT


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    industry = "healthcare"
    headcount = 25


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    name = factory.Faker("name")
    title = "CEO"
    email = factory.Sequence(lambda n: f"contact{n}@client.example.com")


# --- roadmaps ------------------------------------------------------------------------------------


def _current_quarter_key(client) -> int:
    from django.utils import timezone

    from vcio.fiscal import fiscal_quarter

    return fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).key


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = "roadmaps.Goal"

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    title = factory.Sequence(lambda n: f"Goal {n}")
    fiscal_year = 2027
    order = factory.Sequence(lambda n: n)


class InitiativeFactory(DjangoModelFactory):
    """An initiative in the client's current fiscal quarter (status set directly, bypassing the workflow)."""

    class Meta:
        model = "roadmaps.Initiative"

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    title = factory.Sequence(lambda n: f"Initiative {n}")
    category = "security"
    priority = "medium"
    status = "proposed"
    target_start = factory.LazyAttribute(lambda o: _current_quarter_key(o.client))
    target_end = factory.SelfAttribute("target_start")
    one_time_cost = factory.Sequence(lambda n: f"{1000 + n}.25")
    recurring_monthly_cost = factory.Sequence(lambda n: f"{10 + n}.10")


class InitiativeTemplateFactory(DjangoModelFactory):
    """A template of the practice's initiative library (practice-level: no client)."""

    class Meta:
        model = "roadmaps.InitiativeTemplate"

    practice = factory.SubFactory(PracticeFactory)
    title = factory.Sequence(lambda n: f"Template {n}")
    description = "A recommendation for every client."
    category = "security"
    priority = "high"
    one_time_cost = factory.Sequence(lambda n: Decimal(f"{2000 + n}.50"))
    recurring_monthly_cost = factory.Sequence(lambda n: Decimal(f"{50 + n}.00"))
    effort_hours = 16
    business_impact = "Less risk."
    risk_if_not_done = "A breach."
    tags = "security, insurance"


def invite(practice, actor, email, role="consultant", client=None):
    """An invitation through the services: to the team (`role`), or to `client`'s portal.
    Returns `(invitation, raw_token)`."""
    if client is not None:
        from clients.portal_services import portal_invitation_create

        return portal_invitation_create(client=client, actor=actor, email=email)
    from accounts.member_services import invitation_create

    return invitation_create(practice=practice, actor=actor, email=email, role=role)


# --- compliance ----------------------------------------------------------------------------------


class StandardFrameworkFactory(DjangoModelFactory):
    """A framework of the practice's own standards (no items: add StandardFactory rows)."""

    class Meta:
        model = "compliance.StandardFramework"

    practice = factory.SubFactory(PracticeFactory)
    slug = factory.Sequence(lambda n: f"standards-{n}")
    name = factory.Sequence(lambda n: f"Standards {n}")
    version = "1"


class StandardFactory(DjangoModelFactory):
    """A standard at the top level of its framework (orders increase; use the services to nest)."""

    class Meta:
        model = "compliance.Standard"

    framework = factory.SubFactory(StandardFrameworkFactory)
    practice = factory.SelfAttribute("framework.practice")
    ref = factory.Sequence(lambda n: f"STD-{n:03d}")
    title = factory.Sequence(lambda n: f"Standard {n}")
    text = "What good looks like."
    weight = "medium"
    level = 0
    order = factory.Sequence(lambda n: n + 1)


def compliance_assessment(client, *, items: int = 2, title: str = "", weight: str = "medium"):
    """A framework of the client's practice with `items` standards, adopted by `client`, with an
    assessment in progress (through the services). Returns `(adoption, assessment, responses)`."""
    from compliance import services
    from compliance.models import Response

    framework = StandardFrameworkFactory(practice=client.practice, name=title or "Baseline")
    for n in range(items):
        StandardFactory(
            framework=framework, title=f"{title or 'Standard'} {n + 1}", weight=weight, order=n + 1
        )
    adoption = services.adoption_create(client=client, actor=None, framework=framework)
    assessment = services.assessment_start(adoption=adoption, actor=None, title=title or "Review")
    responses = list(
        Response.objects.for_practice(client.practice).filter(assessment=assessment).order_by("created_at")
    )
    return adoption, assessment, responses


# --- vendors -------------------------------------------------------------------------------------


class VendorFactory(DjangoModelFactory):
    class Meta:
        model = "vendors.Vendor"

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Vendor {n}")
    category = "saas"


class ContractFactory(DjangoModelFactory):
    """An active, auto-renewing annual contract of `client` with a vendor of the same practice
    (statuses and dates set directly, bypassing the services)."""

    class Meta:
        model = "vendors.Contract"

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    vendor = factory.SubFactory(VendorFactory, practice=factory.SelfAttribute("..practice"))
    name = factory.Sequence(lambda n: f"Contract {n}")
    contract_type = "subscription"
    start_date = factory.LazyFunction(lambda: datetime.date(2025, 1, 1))
    term_months = 12
    auto_renew = True
    notice_days = 30
    billing_frequency = "monthly"
    cost = factory.Sequence(lambda n: f"{100 + n}.00")
    quantity = 1


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = "vendors.Interaction"

    vendor = factory.SubFactory(VendorFactory)
    practice = factory.SelfAttribute("vendor.practice")
    date = factory.LazyFunction(lambda: datetime.date(2026, 1, 15))
    kind = "call"
    summary = factory.Sequence(lambda n: f"Call {n} with the account manager")


# --- qbr -----------------------------------------------------------------------------------------


def _in_days(days: int, hour: int = 10):
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


class MeetingFactory(DjangoModelFactory):
    """A planned QBR two weeks ahead (status set directly, bypassing the services)."""

    class Meta:
        model = "qbr.Meeting"

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    kind = "qbr"
    title = ""
    scheduled_at = factory.LazyFunction(lambda: _in_days(14))
    duration_minutes = 60
    status = "planned"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = "qbr.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    practice = factory.SelfAttribute("meeting.practice")
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    order = factory.Sequence(lambda n: n)


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = "qbr.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    practice = factory.SelfAttribute("meeting.practice")
    client = factory.SelfAttribute("meeting.client")
    description = factory.Sequence(lambda n: f"Action item {n}")
    status = "open"


class QBRReportFactory(DjangoModelFactory):
    """A queued report of the client's current quarter (no task is queued)."""

    class Meta:
        model = "qbr.QBRReport"

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    period = factory.LazyAttribute(lambda o: _current_quarter_key(o.client))
    version = factory.Sequence(lambda n: n + 1)
    status = "queued"

    class Params:
        # A finished report with a (tiny) PDF file: its pages and download answer 200.
        ready = factory.Trait(
            status="done",
            progress=100,
            pdf=factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%%EOF\n"),
        )


class ReportBatchFactory(DjangoModelFactory):
    class Meta:
        model = "qbr.ReportBatch"

    practice = factory.SubFactory(PracticeFactory)
    total = 0
