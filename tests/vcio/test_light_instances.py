"""`vcio.forms.light_instances` (the rows of a select's model choices made into instances without
`Model.__init__`) answers what `list(queryset)` answers: the same rows in the same order, every loaded
field equal, deferred fields loading on access, instances saved-state and of the queryset's database;
and it gives the queryset itself back wherever `__init__` would do more (a `pre_init` or `post_init`
receiver, as an ImageField with dimension fields connects; a model's own `from_db`) or the rows are not plain (select_related, annotations, prefetches)."""

from datetime import date

import pytest
from django import forms
from django.db.models import Count, signals
from django.db.models.query import QuerySet
from django.forms.models import ModelChoiceIteratorValue

from accounts.models import User
from accounts.selectors import practice_member_users
from budgets.models import Actual
from clients.models import Client
from qbr.forms import MeetingFilterForm
from qbr.selectors import client_choices
from tests.factories import ClientFactory, GoalFactory
from vcio.forms import light_instances

pytestmark = pytest.mark.django_db


def _fields(obj):
    return {f.attname: obj.__dict__.get(f.attname, "<deferred>") for f in type(obj)._meta.concrete_fields}


def _same(light, django):
    assert not isinstance(light, QuerySet)
    assert [o.pk for o in light] == [o.pk for o in django]
    for a, b in zip(light, django, strict=True):
        assert type(a) is type(b) and a == b
        assert _fields(a) == _fields(b)
        assert a.get_deferred_fields() == b.get_deferred_fields()
        assert (a._state.adding, a._state.db) == (b._state.adding, b._state.db) == (False, "default")


@pytest.fixture
def clients(practice_a):
    return [
        ClientFactory(practice=practice_a, name=name, headcount=n, notes=f"notes {n}")
        for n, name in enumerate(["Zeta & Co", "Alpha <Dental>", "Mid Legal"], start=1)
    ]


def test_only_and_defer_load_the_same_fields(practice_a, clients):
    for queryset in (
        client_choices(practice=practice_a),  # only("id", "practice_id", "name")
        Client.objects.for_practice(practice_a).defer("notes", "headcount").order_by("-name"),
        Client.objects.for_practice(practice_a).only("name").order_by("pk"),
        Client.objects.for_practice(practice_a).order_by("name"),
    ):
        _same(light_instances(queryset), list(queryset))


def test_a_deferred_field_loads_on_access(practice_a, clients, django_assert_num_queries):
    (light,) = light_instances(client_choices(practice=practice_a).filter(name="Mid Legal"))
    assert "headcount" in light.get_deferred_fields()
    with django_assert_num_queries(1):
        assert light.headcount == 3
    light.name = "Mid Legal LLP"
    light.save(update_fields=["name"])  # a saved row: an UPDATE, not an INSERT
    assert Client.objects.get(pk=light.pk).name == "Mid Legal LLP"


def test_users_offered_by_a_form_are_djangos(practice_a, owner_a, consultant_a, viewer_a, clients):
    _same(
        light_instances(practice_member_users(practice=practice_a)),
        list(practice_member_users(practice=practice_a)),
    )
    form = MeetingFilterForm(practice=practice_a)
    for name in ("client", "consultant"):
        field = form.fields[name]
        got = [(str(value), label) for value, label in field.choices]
        expected = [("", field.empty_label)] + [
            (str(o.pk), field.label_from_instance(o)) for o in field.queryset.all()
        ]
        assert got == expected and len(got) > 1
    assert "Alpha &lt;Dental&gt;</option>" in str(form["client"])


def test_what_init_would_change_is_left_to_django(practice_a, clients):
    seen = []

    def count(sender, **kwargs):
        seen.append(sender)

    clients_ = Client.objects.for_practice(practice_a)
    for signal in (signals.pre_init, signals.post_init):  # e.g. an ImageField keeping its dimensions
        signal.connect(count, sender=Client)
        try:
            assert light_instances(clients_) is clients_
            assert len(list(clients_.all())) == 3 and seen
        finally:
            signal.disconnect(count, sender=Client)
        seen.clear()
    for queryset in (
        Client.objects.for_practice(practice_a).select_related("primary_consultant"),
        Client.objects.for_practice(practice_a).annotate(n=Count("pk")),
        Client.objects.for_practice(practice_a).prefetch_related("contacts"),
        Client.objects.for_practice(practice_a).values("pk"),
        Client.objects.for_practice(practice_a)
        .only("primary_consultant__email")
        .select_related("primary_consultant"),
        Client.objects.for_practice(practice_a).only("name", "primary_consultant__email"),
    ):
        assert light_instances(queryset) is queryset
    actuals = Actual.objects.for_practice(practice_a)  # its own from_db keeps what it was loaded as
    assert light_instances(actuals) is actuals
    # …unless the instances are only shown (`for_display`): then they are light, and equal
    Actual.objects.create(practice=practice_a, client=clients[0], date=date(2026, 11, 2), amount="12.50")
    _same(light_instances(actuals.order_by("pk"), for_display=True), list(actuals.order_by("pk")))
    assert isinstance(light_instances(actuals.select_related("vendor"), for_display=True), QuerySet)
    evaluated = Client.objects.for_practice(practice_a)
    list(evaluated)
    assert light_instances(evaluated) is evaluated
    assert User._meta.concrete_fields  # the user model is plain: it takes the light path above


def test_kept_choices_offer_each_owners_own_rows_as_the_orm(
    practice_a, practice_b, owner_a, consultant_a, owner_b, clients, monkeypatch
):
    """A filter bar's options read by a statement kept for any practice (`kept_choices`): for either
    practice in turn, the options the ORM gives; a queryset changed afterwards is read as changed;
    the kept statement is only for reading, validation still goes through the queryset."""
    from vcio import kept

    ClientFactory(practice=practice_b, name="CANARY-Bravo-Client")
    kept.KEPT.clear()

    def options(form, name):
        return [(str(value), label) for value, label in form.fields[name].choices]

    for practice in (practice_a, practice_b, practice_a):
        form = MeetingFilterForm(practice=practice)
        for name in ("client", "consultant"):
            field = form.fields[name]
            expected = [("", field.empty_label)] + [
                (str(o.pk), field.label_from_instance(o)) for o in field.queryset.all()
            ]
            assert options(form, name) == expected and len(expected) > 1
        shown = " ".join(label for _, label in options(form, "client"))
        assert ("CANARY" in shown) == (practice == practice_b)
    choices = {k: v for k, v in kept.KEPT.items() if k[0] in ("choices", "choice-labels")}
    assert len(choices) == 2 and None not in choices.values()  # kept, and used
    assert {k[:2] for k in choices} == {("choice-labels", "qbr.clients"), ("choices", "qbr.consultants")}

    form = MeetingFilterForm(practice=practice_a)
    form.fields["client"].queryset = form.fields["client"].queryset.filter(name="Mid Legal")
    form.fields["client"].widget.choices = form.fields["client"].choices
    assert [label for _, label in options(form, "client")][1:] == ["Mid Legal"]

    bravo = Client.objects.get(name="CANARY-Bravo-Client")
    bound = MeetingFilterForm({"client": str(bravo.pk), "when": "all"}, practice=practice_a)
    assert bound.is_valid() is False and "client" in bound.errors


def test_a_select_read_as_labels_renders_as_its_instances(practice_a, practice_b, clients):
    """The clients select of the Meetings filter bar reads (pk, name) rows (`kept_choices(label=)`):
    its markup — escaping and the selected option included — is the one the instances give, for
    either practice; another widget than FastSelect still gets instances."""
    ClientFactory(practice=practice_b, name="Bravo & <Sons>")
    for practice in (practice_a, practice_b):
        chosen = Client.objects.for_practice(practice).order_by("name").last()
        for data in (None, {"client": str(chosen.pk), "when": "all"}):
            form = MeetingFilterForm(data, practice=practice)
            field = form.fields["client"]
            as_labels = str(form["client"])
            field.kept_choices = (*field.kept_choices[:4], None)  # the same, read as instances
            assert str(form["client"]) == as_labels
            assert (f'value="{chosen.pk}" selected' in as_labels) == (data is not None)
            assert ("&lt;Sons&gt;" in as_labels) == (practice == practice_b)
    form = MeetingFilterForm(practice=practice_a)
    form.fields["client"].widget = forms.RadioSelect(choices=form.fields["client"].choices)
    assert all(
        isinstance(value, ModelChoiceIteratorValue) for value, _ in list(form.fields["client"].choices)[1:]
    )


def test_the_goals_select_read_as_labels_renders_as_its_instances(practice_a, practice_b, clients):
    """The same for the Initiatives filter bar's goals (`label="title"`), a client of each practice."""
    from roadmaps.forms import InitiativeFilterForm

    theirs = ClientFactory(practice=practice_b, name="Bravo")
    for client in (clients[0], theirs):
        GoalFactory(client=client, title=f"Cut <costs> & risk ({client.practice.slug})", order=2)
        GoalFactory(client=client, title="Win audits", order=1)
        form = InitiativeFilterForm(client=client)
        field = form.fields["goal"]
        as_labels = str(form["goal"])
        field.kept_choices = (*field.kept_choices[:4], None)
        assert str(form["goal"]) == as_labels
        assert as_labels.index("Win audits") < as_labels.index(
            f"Cut &lt;costs&gt; &amp; risk ({client.practice.slug})"
        )
