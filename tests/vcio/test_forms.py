"""The base form fails closed (issue 7, finding 1): every model choice is scoped to the practice when
the form is made, whether or not the form narrows it itself, and a choice it cannot scope refuses to
build."""

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import Practice
from clients.forms import ClientForm
from clients.models import Client
from roadmaps.models import Initiative
from vcio.forms import PracticeScopedForm

from ..factories import ContactFactory

pytestmark = pytest.mark.django_db


class ClientWithConsultantForm(PracticeScopedForm):
    """A user choice field and no scope_fields()."""

    class Meta:
        model = Client
        fields = ["name", "primary_consultant"]


class InitiativeWithSponsorForm(PracticeScopedForm):
    """A tenant-model choice field and no scope_fields()."""

    class Meta:
        model = Initiative
        fields = ["title", "sponsor"]


class PracticePickerForm(PracticeScopedForm):
    """A choice over a model that is neither a tenant model nor users, left unscoped."""

    other = forms.ModelChoiceField(queryset=Practice.objects.all())

    class Meta:
        model = Client
        fields = ["name"]


class ScopedPracticePickerForm(PracticePickerForm):
    def scope_fields(self):
        self.fields["other"].queryset = Practice.objects.filter(pk=self.practice.pk)


def test_a_user_choice_offers_only_the_practices_members(practice_a, owner_a, consultant_a, owner_b):
    form = ClientWithConsultantForm(practice=practice_a)

    assert set(form.fields["primary_consultant"].queryset) == {owner_a, consultant_a}
    bound = ClientWithConsultantForm({"name": "Acme", "primary_consultant": owner_b.pk}, practice=practice_a)
    assert not bound.is_valid()
    assert "primary_consultant" in bound.errors


def test_a_tenant_choice_offers_only_the_practices_rows(practice_a, client_a1, canary_client_b):
    mine = ContactFactory(client=client_a1)
    form = InitiativeWithSponsorForm(practice=practice_a)

    assert list(form.fields["sponsor"].queryset) == [mine]


def test_a_choice_the_form_cannot_scope_refuses_to_build(practice_a):
    with pytest.raises(ImproperlyConfigured, match="other"):
        PracticePickerForm(practice=practice_a)
    form = ScopedPracticePickerForm(practice=practice_a)  # scoped by the form itself: fine
    assert list(form.fields["other"].queryset) == [practice_a]


def test_a_form_without_a_practice_refuses_to_build():
    with pytest.raises(ValueError):
        ClientWithConsultantForm(practice=None)


@pytest.mark.parametrize("own_scoping", [True, False], ids=["with ClientForm.scope_fields", "without"])
def test_practice_bs_owner_never_appears_in_as_new_client_form(
    own_scoping, as_owner_a, practice_a, owner_b, monkeypatch
):
    if not own_scoping:  # the form forgets to narrow its choices: the base form still scopes them
        monkeypatch.setattr(ClientForm, "scope_fields", lambda self: None)

    html = as_owner_a.get(
        reverse("clients:create", kwargs={"practice_slug": practice_a.slug})
    ).content.decode()

    assert str(owner_b.pk) not in html
    assert owner_b.email.lower() not in html.lower()
    assert owner_b.display_name.lower() not in html.lower()
