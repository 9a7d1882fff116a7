"""`TenantSerializer` copies the fields ModelSerializer built for its class (`_fresh_copy`) instead of
deep-copying them: each copy must be the field a deep copy gives, and its own — scoping, binding or
changing one serializer's field never reaches another serializer or the built originals."""

import copy

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.functional import Promise
from rest_framework.utils.formatting import lazy_format

from clients.api import ClientSerializer
from roadmaps.api import InitiativeSerializer
from tests.factories import ClientFactory, GoalFactory, MembershipFactory, UserFactory
from vcio.api import TenantSerializer, _fresh_copy
from vcio.api_urls import router

pytestmark = pytest.mark.django_db


def every_tenant_serializer():
    found = {viewset.serializer_class for _prefix, viewset, _basename in router.registry}
    return sorted((s for s in found if issubclass(s, TenantSerializer)), key=lambda s: s.__name__)


def shape(value, depth=0):
    """What a field's attribute says, comparable between a deep copy and a plain one."""
    if depth > 5:
        return type(value)
    if isinstance(value, QuerySet):
        try:
            return ("queryset", str(value.query))
        except EmptyResultSet:
            return ("queryset", value.model, "none")
    if isinstance(value, dict):  # every attribute but the order of creation (of declared fields only)
        return {k: shape(v, depth + 1) for k, v in value.items() if k != "_creation_counter"}
    if isinstance(value, list | tuple):
        return [shape(v, depth + 1) for v in value]
    if isinstance(value, Promise | lazy_format):  # a message: its text
        return str(value)
    if hasattr(value, "__dict__") and not isinstance(value, type):  # a field, validator, default: its state
        return (type(value), shape(vars(value), depth + 1))
    return value


@pytest.mark.parametrize("serializer_class", every_tenant_serializer(), ids=lambda s: s.__name__)
def test_a_copied_field_is_the_field_a_deep_copy_gives(serializer_class):
    serializer_class()  # builds the class's fields once
    built = TenantSerializer._built_fields[serializer_class]
    assert built
    for name, field in built.items():
        fast, deep = _fresh_copy(field), copy.deepcopy(field)
        assert type(fast) is type(deep), name
        # every attribute alike but the order of creation, which only a class's declared fields use
        assert shape(vars(fast) | {"_creation_counter": 0}) == shape(vars(deep) | {"_creation_counter": 0}), (
            name
        )


def test_copies_are_their_own(practice_a, practice_b):
    member_a = UserFactory()
    MembershipFactory(practice=practice_a, user=member_a, role="consultant")
    built = TenantSerializer._built_fields.setdefault(ClientSerializer, ClientSerializer().get_fields())
    original = built["name"]

    class Request:
        practice = practice_a

    one = ClientSerializer(context={"request": Request})
    two = ClientSerializer()
    one.fields["name"].error_messages["blank"] = "changed"
    one.fields["name"].style["base_template"] = "changed"
    one.fields["name"].validators.append(lambda value: None)

    assert two.fields["name"].error_messages["blank"] != "changed"
    assert "base_template" not in two.fields["name"].style
    assert len(two.fields["name"].validators) == len(original.validators)
    assert original.field_name is None and original.parent is None  # the originals are never bound
    assert list(one.fields["primary_consultant"].queryset) == [member_a]  # scoped to its practice
    assert not two.fields["primary_consultant"].queryset.exists()  # no practice: nothing
    assert not built["primary_consultant"].queryset.exists()


def test_a_many_relation_is_scoped_on_its_own(client_a1, practice_b):
    goal_a, goal_b = GoalFactory(client=client_a1), GoalFactory(client=ClientFactory(practice=practice_b))

    def serializer(practice):
        class Request:
            pass

        Request.practice = practice
        return InitiativeSerializer(context={"request": Request})

    one, two = serializer(client_a1.practice), serializer(practice_b)
    assert list(one.fields["goals"].child_relation.queryset) == [goal_a]
    assert list(two.fields["goals"].child_relation.queryset) == [goal_b]


def test_a_read_leaves_the_choices_alone_and_input_scopes_them(practice_a, practice_b):
    """A GET's serializer only shows rows: its related fields' choices are not scoped (nothing is
    validated against them). Given input — whatever the method — they are."""
    member_a, member_b = UserFactory(), UserFactory()
    MembershipFactory(practice=practice_a, user=member_a, role="consultant")
    MembershipFactory(practice=practice_b, user=member_b, role="consultant")

    class Read:
        method, practice = "GET", practice_a

    class Write:
        method, practice = "POST", practice_a

    read = ClientSerializer(context={"request": Read})
    assert not read.fields["primary_consultant"].queryset.exists()  # as declared: none, never scoped
    for request in (Read, Write):
        given = ClientSerializer(data={"name": "Acme"}, context={"request": request})
        assert list(given.fields["primary_consultant"].queryset) == [member_a], request.method
    assert list(ClientSerializer(context={"request": Write}).fields["primary_consultant"].queryset) == [
        member_a
    ]
