"""seed_demo gives every demo client a believable roadmap."""

from collections import Counter
from decimal import Decimal

from accounts.demo import seed_practice
from accounts.models import Membership, Role
from roadmaps.models import Goal, Initiative, InitiativeStatusChange, InitiativeTemplate


def test_every_demo_client_gets_goals_and_a_spread_of_initiatives(db):
    world, _ = seed_practice("Demo Roadmaps Practice")
    consultants = set(
        Membership.objects.for_practice(world.practice)
        .filter(role=Role.CONSULTANT)
        .values_list("user_id", flat=True)
    )
    for client in world.clients:
        goals = Goal.objects.for_practice(world.practice).filter(client=client)
        initiatives = Initiative.objects.for_practice(world.practice).filter(client=client)
        assert 3 <= goals.count() <= 5
        assert 12 <= initiatives.count() <= 20
        statuses = Counter(initiatives.values_list("status", flat=True))
        assert {"proposed", "approved", "in_progress", "done", "deferred"} <= set(statuses)
        assert len(set(initiatives.values_list("category", flat=True))) >= 5
        assert len(set(initiatives.values_list("target_start", flat=True))) >= 4
        assert set(initiatives.values_list("owner_id", flat=True)) <= consultants
        assert all(
            i.sponsor.client_id == client.pk for i in initiatives.select_related("sponsor") if i.sponsor
        )
        assert sum(i.one_time_cost for i in initiatives) > 0
    # the statuses were reached through the workflow, so their history exists
    assert InitiativeStatusChange.objects.for_practice(world.practice).filter(to_status="done").exists()


def _titles_by_client(world):
    return {
        client.name: set(
            Initiative.objects.for_practice(world.practice)
            .filter(client=client)
            .values_list("title", flat=True)
        )
        for client in world.clients
    }


def test_each_demo_client_has_a_roadmap_of_its_own(db):
    world, _ = seed_practice("Demo Roadmaps Practice")
    titles = _titles_by_client(world)
    everywhere = set.intersection(*titles.values())
    assert not everywhere, f"on every client's roadmap: {everywhere}"
    for name, mine in titles.items():
        others = set().union(*(t for n, t in titles.items() if n != name))
        assert len(mine - others) >= 8, f"{name} shares most of its roadmap with other clients"
    # descriptions, impact and risk are written for the work, not one sentence for all
    initiatives = Initiative.objects.for_practice(world.practice)
    assert initiatives.values("business_impact").distinct().count() >= 80
    assert initiatives.values("risk_if_not_done").distinct().count() >= 80
    assert not any(
        i.description.endswith(f" for {i.client.name}.") for i in initiatives.select_related("client")
    )


def test_demo_goals_fit_each_clients_industry(db):
    world, _ = seed_practice("Demo Roadmaps Practice")

    def goal_text(name):
        client = next(c for c in world.clients if c.name == name)
        return " ".join(f"{g.title} {g.description}" for g in Goal.objects.for_client(client))

    assert "NCUA" in goal_text("Brightwater Credit Union")
    assert "HIPAA" in goal_text("Harbor Family Dental")
    assert "CMMC" in goal_text("Summit Precision Manufacturing")
    assert "PCI" in goal_text("Cedar & Pine Outfitters")
    assert "job site" in goal_text("Ridgeline Construction")
    assert "grant" in goal_text("Hope Harbor Community Services")
    assert "FERPA" in goal_text("Lakeside Academy")
    assert "document management" in goal_text("Keystone Legal Group")
    assert "HIPAA" not in goal_text("Brightwater Credit Union")
    assert "NCUA" not in goal_text("Harbor Family Dental")
    goal_titles = [set(Goal.objects.for_client(c).values_list("title", flat=True)) for c in world.clients]
    assert all(not (a & b) for i, a in enumerate(goal_titles) for b in goal_titles[i + 1 :])
    # and the initiatives serve them
    credit_union = next(c for c in world.clients if c.name == "Brightwater Credit Union")
    exam = Goal.objects.for_client(credit_union).get(title__contains="NCUA")
    assert exam.initiatives.filter(title__contains="ACET").exists()


def test_demo_costs_follow_the_clients_size(db):
    world, _ = seed_practice("Demo Roadmaps Practice")
    credit_union = next(c for c in world.clients if c.name == "Brightwater Credit Union")
    mdr = Initiative.objects.for_client(credit_union).get(title="24×7 managed detection and response")
    assert mdr.one_time_cost == Decimal("3000.00")  # a flat onboarding fee
    assert mdr.recurring_monthly_cost == Decimal("12") * credit_union.headcount  # per user, per month
    retailer = next(c for c in world.clients if c.name == "Cedar & Pine Outfitters")
    terminals = Initiative.objects.for_client(retailer).get(title="P2PE payment terminals in every store")
    assert terminals.one_time_cost == Decimal("3200") * retailer.locations  # per store


def test_the_demo_practice_ships_an_initiative_library(db):
    world, _ = seed_practice("Demo Roadmaps Practice")
    templates = InitiativeTemplate.objects.for_practice(world.practice)
    assert 35 <= templates.count() <= 50
    assert len(set(templates.values_list("category", flat=True))) >= 8
    for template in templates:
        assert template.description and template.business_impact and template.risk_if_not_done, template
        assert template.tags and template.effort_hours, template
        assert template.one_time_cost > 0 or template.recurring_monthly_cost > 0, template
    assert {"Roll out multi-factor authentication", "HIPAA security risk analysis"} <= set(
        templates.values_list("title", flat=True)
    )
    # seeding again changes nothing
    seed_practice("Demo Roadmaps Practice")
    assert InitiativeTemplate.objects.for_practice(world.practice).count() == templates.count()
