"""Every tenant-owned table carries its own non-null `practice` foreign key (GitLab's sharding-key spec)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

# Models of ours that are not owned by a practice, and why.
NOT_TENANT_OWNED = {
    "accounts.User": "a person may belong to several practices",
    "accounts.Practice": "the tenant itself",
    # Global, read-only catalogs shipped with vcio (loaded by `load_frameworks`): the same rows for
    # every practice, so no practice column (a NULL practice_id would be hidden by row-level security).
    # What a practice owns (its own standards, adoptions, assessments, answers) is in tenant tables.
    "compliance.Framework": "a shipped catalog, the same for every practice",
    "compliance.Requirement": "an item of a shipped catalog, the same for every practice",
}


def our_models():
    base = Path(settings.BASE_DIR).resolve()
    for model in apps.get_models():
        module_path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        if base in module_path.parents and ".venv" not in module_path.parts:
            yield model


def is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


def test_every_tenant_owned_model_has_a_non_null_practice_fk():
    practice_model = apps.get_model("accounts", "Practice")
    checked = []
    for model in our_models():
        label = model._meta.label
        if label in NOT_TENANT_OWNED or (
            is_history(model) and model.instance_type._meta.label in NOT_TENANT_OWNED
        ):
            continue
        field = model._meta.get_field("practice")
        assert isinstance(field, models.ForeignKey), label
        assert field.related_model is practice_model, label
        if is_history(model):
            # simple-history copies foreign keys as nullable, unconstrained columns: the column is there.
            assert field.column == "practice_id", label
        else:
            assert not field.null, f"{label}.practice must be NOT NULL"
            assert model._meta.pk.get_internal_type() == "UUIDField", f"{label} must use a UUID primary key"
        checked.append(label)
    assert "clients.Client" in checked and "clients.Contact" in checked and "accounts.Membership" in checked


def test_many_to_many_tables_are_explicit_tenant_models():
    """An implicit M2M table would have no practice column: every M2M of ours must go `through` a model."""
    for model in our_models():
        if model._meta.label in NOT_TENANT_OWNED:
            continue
        for field in model._meta.local_many_to_many:
            assert not field.remote_field.through._meta.auto_created, f"{model._meta.label}.{field.name}"
