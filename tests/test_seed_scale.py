"""seed_scale: many practices of complete data through bulk inserts, extended by every app's
registered scale seeder; a practice's data depends only on its slug."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from accounts.models import Membership, Practice, User
from budgets import planned
from budgets.models import Actual, Budget, BudgetLine, BudgetSettings, LineSource, MonthlySpend
from clients.models import Client, Contact
from compliance.models import Adoption, Assessment, Response
from qbr.models import ActionItem, AgendaItem, Meeting, MeetingContact, MeetingMember
from roadmaps.models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange
from vcio.models import is_tenant_model
from vendors.models import Contract, Interaction, Vendor

SCALE_APPS = ("vendors", "budgets", "compliance", "qbr")

pytestmark = pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction


def seed(**options) -> str:
    err = io.StringIO()
    call_command("seed_scale", stdout=io.StringIO(), stderr=err, **options)
    return err.getvalue()


def summed_by_month(client) -> dict:
    """The client's actuals summed by month in Python: what `MonthlySpend` must hold."""
    out: dict = {}
    for day, amount in Actual.objects.for_client(client).values_list("date", "amount"):
        out[day.replace(day=1)] = out.get(day.replace(day=1), 0) + amount
    return out


def monthly_spend(client) -> dict:
    return dict(MonthlySpend.objects.for_client(client).values_list("month", "amount"))


def fingerprint(slug: str) -> tuple:
    practice = Practice.objects.get(slug=slug)
    return (
        sorted(Client.objects.for_practice(practice).values_list("name", "industry", "headcount")),
        sorted(Initiative.objects.for_practice(practice).values_list("title", "status", "target_start")),
        sorted(User.objects.filter(memberships__practice=practice).values_list("email", "name")),
        sorted(Contract.objects.for_practice(practice).values_list("name", "start_date", "cost", "quantity")),
        sorted(BudgetLine.objects.for_practice(practice).values_list("name", "amount", "first_month")),
        sorted(Response.objects.for_practice(practice).values_list("requirement__ref", "status")),
        sorted(Meeting.objects.for_practice(practice).values_list("kind", "status", "duration_minutes")),
    )


def test_seed_scale_fills_every_app_and_a_big_practice():
    progress = seed(practices=2, clients_per_practice=2, big_factor=2)
    assert "100%" in progress and "Inserted" in progress
    assert set(Practice.objects.values_list("slug", flat=True)) == {"scale-0001", "scale-0002", "scale-big"}
    small, big = Practice.objects.get(slug="scale-0001"), Practice.objects.get(slug="scale-big")
    assert Client.objects.for_practice(small).count() == 2
    assert Client.objects.for_practice(big).count() == 4
    assert set(Membership.objects.for_practice(small).values_list("role", flat=True)) == {
        "owner",
        "admin",
        "consultant",
        "viewer",
    }
    assert Membership.objects.for_practice(big).count() == 1 + 2 * 5  # the owner, and twice the team
    for practice, factor in ((small, 1), (big, 2)):
        for client in Client.objects.for_practice(practice):
            assert Contact.objects.for_client(client).count() >= 2 * factor
            assert Goal.objects.for_client(client).count() >= 3 * factor
            assert Initiative.objects.for_client(client).count() >= 12 * factor
    assert InitiativeGoal.objects.for_practice(small).exists()
    assert InitiativeStatusChange.objects.for_practice(small).filter(to_status="done").exists()
    # the audit rows the History tab reads, spread over time, with the changes of the workflow
    assert Client.history.filter(practice_id=small.pk).count() >= 2
    changed = Initiative.history.filter(practice_id=small.pk, history_type="~")
    assert changed.exists() and changed.exclude(history_change_reason="").exists()
    assert (
        len(set(Initiative.history.filter(practice_id=small.pk).values_list("history_date", flat=True))) > 10
    )
    # only the members' own practices' objects are linked
    for i in Initiative.objects.for_practice(small).select_related("sponsor", "owner"):
        assert i.sponsor is None or i.sponsor.practice_id == small.pk
        assert Membership.objects.filter(practice=small, user=i.owner).exists()


def test_seed_scale_fills_vendors_budgets_compliance_and_qbr_for_every_client():
    seed(practices=2, clients_per_practice=2, big_factor=2)
    small, big = Practice.objects.get(slug="scale-0001"), Practice.objects.get(slug="scale-big")
    for practice, factor in ((small, 1), (big, 2)):
        assert Vendor.objects.for_practice(practice).count() == 8 * factor
        assert BudgetSettings.objects.for_practice(practice).count() == 1
        for client in Client.objects.for_practice(practice):
            assert Contract.objects.for_client(client).count() >= 4 * factor
            budgets = Budget.objects.for_client(client)
            assert budgets.count() == 1
            lines = BudgetLine.objects.for_practice(practice).filter(budget=budgets.get())
            assert lines.count() >= 35 * factor
            assert lines.filter(source=LineSource.CONTRACT).exists()
            assert lines.filter(source=LineSource.INITIATIVE).exists()
            seeded = budgets.get()  # its stored months and plan figures are what replan keeps
            assert (seeded.planned_months, seeded.plan_figures) == planned.figures(list(lines))
            assert Actual.objects.for_client(client).count() >= 50 * factor
            assert monthly_spend(client) == summed_by_month(client)
            adoption = Adoption.objects.for_client(client).get()
            assessments = Assessment.objects.for_client(client).filter(adoption=adoption)
            assert assessments.count() == factor
            assert assessments.filter(status="completed", is_current=True).count() == 1
            current = assessments.get(is_current=True)
            assert current.score_possible and current.score_earned is not None
            answered = Response.objects.for_practice(practice).filter(assessment=current)
            assert answered.count() == adoption.framework.requirements.filter(assessable=True).count() > 0
            meetings = Meeting.objects.for_client(client)
            assert meetings.count() == 4 * factor
            assert meetings.filter(status="planned").count() == 1
            assert (
                AgendaItem.objects.for_practice(practice).filter(meeting__in=meetings).count() >= 6 * factor
            )
            assert ActionItem.objects.for_client(client).count() >= 3 * factor
    assert Interaction.objects.for_practice(small).exists()
    assert MeetingContact.objects.for_practice(small).exists()
    assert MeetingMember.objects.for_practice(small).exists()
    assert Contract.history.filter(practice_id=small.pk).exists()
    assert Meeting.history.filter(practice_id=small.pk, history_type="~").exists()


def test_seeded_rows_of_a_practice_reference_only_that_practices_objects_and_members():
    seed(practices=2, clients_per_practice=2, big_factor=2)
    checked = 0
    for practice in Practice.objects.filter(slug__startswith="scale-"):
        members = set(Membership.objects.for_practice(practice).values_list("user_id", flat=True))
        for app in SCALE_APPS:
            for model in apps.get_app_config(app).get_models():
                if not is_tenant_model(model):
                    continue
                rows = model.objects.for_practice(practice)
                for field in model._meta.concrete_fields:
                    if not field.is_relation or field.name == "practice":
                        continue
                    target = field.related_model
                    linked = rows.exclude(**{f"{field.name}__isnull": True})
                    if is_tenant_model(target):
                        foreign = linked.exclude(**{f"{field.name}__practice": practice})
                        assert not foreign.exists(), f"{model.__name__}.{field.name} of {practice.slug}"
                        checked += linked.count()
                    elif target._meta.label == settings.AUTH_USER_MODEL:
                        ids = set(linked.values_list(field.attname, flat=True))
                        assert ids <= members, f"{model.__name__}.{field.name} of {practice.slug}"
                        checked += len(ids)
    assert checked > 1000


def test_seeding_again_adds_only_what_is_missing_and_a_practice_is_the_same_whatever_else_is_seeded():
    seed(practices=1, clients_per_practice=2, big_factor=0)
    alone = fingerprint("scale-0001")
    rows = Initiative.objects.count()
    seed(practices=1, clients_per_practice=2, big_factor=0)
    assert Initiative.objects.count() == rows  # nothing new
    seed(practices=3, clients_per_practice=2, big_factor=0)
    assert Practice.objects.filter(slug__startswith="scale-").count() == 3
    assert fingerprint("scale-0001") == alone
    Practice.objects.filter(slug__startswith="scale-").delete()
    User.objects.filter(email__endswith=".example.com").delete()
    seed(practices=2, clients_per_practice=2, big_factor=0)  # another order, another neighbour
    assert fingerprint("scale-0001") == alone
