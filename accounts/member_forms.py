"""Forms of the members and portal-access pages. Roles offered depend on who is inviting."""

from django import forms

from vcio.forms import style_fields

from .access import can_manage_role
from .models import Role

ROLE_HELP = {
    Role.OWNER: "everything, including managing owners and deleting the practice",
    Role.ADMIN: "members, settings, API keys and all client work",
    Role.CONSULTANT: "all client work",
    Role.VIEWER: "read only",
}


def role_choices(actor_role: str) -> list[tuple[str, str]]:
    """The roles someone with `actor_role` may give (admins cannot make owners)."""
    return [(value, label) for value, label in Role.choices if can_manage_role(actor_role, value)]


class MemberInvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.CONSULTANT,
        help_text="; ".join(f"{Role(r).label}: {h}" for r, h in ROLE_HELP.items()) + ".",
    )

    def __init__(self, *args, actor_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(actor_role)
        if not can_manage_role(actor_role, Role.OWNER):
            self.fields["role"].help_text = (
                "; ".join(f"{Role(r).label}: {h}" for r, h in ROLE_HELP.items() if r != Role.OWNER)
                + ". Only an owner can invite owners."
            )
        self.fields["email"].widget.attrs.update(autocomplete="off", placeholder="name@example.com")
        style_fields(self)


class PortalInvitationForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="They get a single-use link, valid for 7 days, to the client's read-only portal.",
    )

    def __init__(self, *args, executives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="off", placeholder="ceo@client.example.com")
        if executives:
            self.fields["email"].widget.attrs["list"] = "executive-emails"
        style_fields(self)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
