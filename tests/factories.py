"""Factories for every model. Tenant-owned factories take `practice` from their parent."""

import datetime

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
