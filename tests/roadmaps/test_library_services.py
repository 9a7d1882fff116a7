"""The initiative library's services: templates, "Save as template" and adding templates to a roadmap."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from roadmaps import library_services
from roadmaps.models import Initiative, InitiativeTemplate
from tests.factories import GoalFactory, InitiativeFactory, InitiativeTemplateFactory
from vcio.fiscal import FiscalQuarter

Q = FiscalQuarter(2027, 3)


def test_adding_three_templates_creates_three_initiatives_in_the_chosen_quarter_with_history(
    practice_a, client_a1, consultant_a
):
    templates = [
        InitiativeTemplateFactory(practice=practice_a, title=title, category=category)
        for title, category in [
            ("Roll out MFA", "security"),
            ("Wi-Fi 6", "network"),
            ("M365 backup", "data_backup"),
        ]
    ]
    goal = GoalFactory(client=client_a1)

    created = library_services.templates_apply(
        client=client_a1, templates=templates, target_start=Q, actor=consultant_a, goals=[goal]
    )

    assert len(created) == 3
    rows = Initiative.objects.for_client(client_a1).order_by("title")
    assert [i.title for i in rows] == ["M365 backup", "Roll out MFA", "Wi-Fi 6"]
    for initiative in rows:
        assert (initiative.target_start, initiative.target_end) == (20273, 20273)
        assert initiative.status == "proposed"
        assert initiative.practice_id == practice_a.pk
        assert list(initiative.goals.all()) == [goal]
        template = next(t for t in templates if t.title == initiative.title)
        assert initiative.category == template.category
        assert initiative.one_time_cost == template.one_time_cost
        assert initiative.recurring_monthly_cost == template.recurring_monthly_cost
        assert (initiative.effort_hours, initiative.business_impact, initiative.risk_if_not_done) == (
            template.effort_hours,
            template.business_impact,
            template.risk_if_not_done,
        )
        # recorded in the history: who, and which template it came from
        record = initiative.history.get()
        assert record.history_type == "+"
        assert record.history_user == consultant_a
        assert record.history_change_reason == f"Added from the initiative library (“{initiative.title}”)"


def test_another_practices_template_is_refused_and_nothing_is_created(practice_b, client_a1, consultant_a):
    theirs = InitiativeTemplateFactory(practice=practice_b, title="CANARY-template")
    with pytest.raises(ValidationError) as exc:
        library_services.templates_apply(
            client=client_a1, templates=[theirs], target_start=Q, actor=consultant_a
        )
    assert "templates" in exc.value.message_dict
    assert not Initiative.objects.exists()


def test_adding_is_all_or_nothing(practice_a, client_a1, client_a2, consultant_a):
    good = InitiativeTemplateFactory(practice=practice_a, title="Good")
    other_client_goal = GoalFactory(client=client_a2)
    with pytest.raises(ValidationError):
        library_services.templates_apply(
            client=client_a1, templates=[good], target_start=Q, actor=consultant_a, goals=[other_client_goal]
        )
    # a template that cannot become an initiative (its stored cost was made invalid behind our back)
    bad = InitiativeTemplateFactory(practice=practice_a, title="Bad")
    InitiativeTemplate.objects.filter(pk=bad.pk).update(effort_hours=200_000)
    bad.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        library_services.templates_apply(
            client=client_a1, templates=[good, bad], target_start=Q, actor=consultant_a
        )
    assert "“Bad” cannot be added" in exc.value.message_dict["templates"][0]
    assert not Initiative.objects.exists()


def test_no_template_or_no_quarter_is_refused(practice_a, client_a1, consultant_a):
    with pytest.raises(ValidationError) as exc:
        library_services.templates_apply(client=client_a1, templates=[], target_start=Q, actor=consultant_a)
    assert exc.value.message_dict == {"templates": ["Choose at least one template."]}
    template = InitiativeTemplateFactory(practice=practice_a)
    with pytest.raises(ValidationError) as exc:
        library_services.templates_apply(
            client=client_a1, templates=[template], target_start=None, actor=consultant_a
        )
    assert "target_start" in exc.value.message_dict


def test_the_same_template_twice_in_one_step_is_added_once(practice_a, client_a1, consultant_a):
    template = InitiativeTemplateFactory(practice=practice_a)
    created = library_services.templates_apply(
        client=client_a1, templates=[template, template], target_start=Q, actor=consultant_a
    )
    assert len(created) == 1


def test_save_as_template_copies_the_plan_but_nothing_client_specific(practice_a, client_a1, consultant_a):
    initiative = InitiativeFactory(
        client=client_a1,
        title="Replace the imaging server",
        description="New server, mirrored disks.",
        category="infrastructure",
        priority="critical",
        one_time_cost=Decimal("14000.00"),
        recurring_monthly_cost=Decimal("180.00"),
        effort_hours=40,
        business_impact="Fast image loads.",
        risk_if_not_done="Years of X-rays on one disk.",
        owner=consultant_a,
        status="approved",
    )

    template = library_services.template_from_initiative(initiative=initiative, actor=consultant_a)

    assert template.practice_id == practice_a.pk
    for field in (
        "title",
        "description",
        "category",
        "priority",
        "one_time_cost",
        "recurring_monthly_cost",
        "effort_hours",
        "business_impact",
        "risk_if_not_done",
    ):
        assert getattr(template, field) == getattr(initiative, field), field
    assert template.tags == ""
    record = template.history.get()
    assert record.history_user == consultant_a
    assert record.history_change_reason == "Saved from the initiative “Replace the imaging server”"
    # overrides win, and the title stays unique in the library (case-insensitively)
    again = library_services.template_from_initiative(
        initiative=initiative, actor=consultant_a, title="Imaging server refresh", tags="Imaging, HIPAA"
    )
    assert (again.title, again.tags) == ("Imaging server refresh", "imaging, hipaa")
    with pytest.raises(ValidationError) as exc:
        library_services.template_from_initiative(
            initiative=initiative, actor=consultant_a, title="replace THE imaging server"
        )
    assert "already has a template" in exc.value.message_dict["title"][0]
    assert InitiativeTemplate.objects.count() == 2


def test_titles_are_unique_per_practice_not_across_practices(practice_a, practice_b, owner_a):
    library_services.template_create(practice=practice_a, actor=owner_a, title="Roll out MFA")
    with pytest.raises(ValidationError):
        library_services.template_create(practice=practice_a, actor=owner_a, title=" roll out mfa ")
    assert library_services.template_create(practice=practice_b, actor=None, title="Roll out MFA").pk


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (" Security,HIPAA ; insurance,security", "security, hipaa, insurance"),
        ("", ""),
        ("  Cyber   Insurance ", "cyber insurance"),
        (["Backup", "backup", "DR"], "backup, dr"),
    ],
)
def test_tags_are_normalised(given, stored):
    assert library_services.normalise_tags(given) == stored


def test_too_many_tags_are_refused(practice_a, owner_a):
    with pytest.raises(ValidationError) as exc:
        library_services.template_create(
            practice=practice_a, actor=owner_a, title="x", tags=",".join(f"t{n}" for n in range(20))
        )
    assert "tags" in exc.value.message_dict


def test_update_and_delete_record_who(practice_a, owner_a):
    template = library_services.template_create(
        practice=practice_a, actor=owner_a, title="EDR", priority="high"
    )
    library_services.template_update(template=template, actor=owner_a, priority="critical")
    assert InitiativeTemplate.objects.get().priority == "critical"
    library_services.template_delete(template=template, actor=owner_a)
    assert not InitiativeTemplate.objects.exists()
    assert [r.history_type for r in InitiativeTemplate.history.order_by("history_date")] == ["+", "~", "-"]
    assert {r.history_user for r in InitiativeTemplate.history.all()} == {owner_a}
