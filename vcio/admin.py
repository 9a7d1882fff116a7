"""The admin base for every tenant-owned model: `practice` is never typed in. It follows the parent
object (the first foreign key to another tenant model, e.g. a contact's client), for the object and
for its inlines; a practice-level model (a membership, an API key, a vendor) chooses its practice
once, on the add page, and keeps it."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import is_tenant_model


def tenant_parent_field(model):
    """The foreign key the practice follows, or None for a practice-level model."""
    for field in model._meta.concrete_fields:
        if (
            field.is_relation
            and field.name != "practice"
            and not field.null
            and is_tenant_model(field.related_model)
        ):
            return field
    return None


def practice_from_parent(obj) -> None:
    parent_field = tenant_parent_field(type(obj))
    if parent_field is not None:
        parent = getattr(obj, parent_field.name)
        obj.practice_id = parent.practice_id


class TenantInlineMixin:
    """For inlines of tenant models: the practice comes from the object they are edited under."""

    exclude = ["practice"]


class TenantAdminMixin:
    list_select_related = ["practice"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and tenant_parent_field(self.model) is None:
            # Declared on the base form: the admin builds its form with `practice_choice` in the fields.
            practice_model = self.model._meta.get_field("practice").related_model
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(
                base.__name__,
                (base,),
                {"practice_choice": forms.ModelChoiceField(practice_model.objects.all(), label="Practice")},
            )
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None and tenant_parent_field(self.model) is None and "practice_choice" not in fields:
            fields.insert(0, "practice_choice")
        return fields

    def save_model(self, request, obj, form, change):
        if not change and "practice_choice" in form.cleaned_data:
            obj.practice = form.cleaned_data["practice_choice"]
        practice_from_parent(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if is_tenant_model(type(instance)):
                if tenant_parent_field(type(instance)) is not None:
                    practice_from_parent(instance)
                else:
                    instance.practice_id = form.instance.practice_id
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


class TenantAdmin(TenantAdminMixin, SimpleHistoryAdmin):
    """For tenant models with an audit history."""


class PlainTenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    """For tenant models without an audit history (e.g. the status-change log)."""


admin.site.site_header = "vcio administration"
