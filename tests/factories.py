"""Factories for every model. Tenant-owned factories take `practice` from their parent."""

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


def invite(practice, actor, email, role="consultant", client=None):
    """An invitation through the services: to the team (`role`), or to `client`'s portal.
    Returns `(invitation, raw_token)`."""
    if client is not None:
        from clients.portal_services import portal_invitation_create

        return portal_invitation_create(client=client, actor=actor, email=email)
    from accounts.member_services import invitation_create

    return invitation_create(practice=practice, actor=actor, email=email, role=role)


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
