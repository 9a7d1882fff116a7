"""Every tenant-owned table carries its own non-null `practice` foreign key (GitLab's sharding-key spec)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from vcio.models import is_tenant_model

# Models of ours that are not owned by a practice, and why.
NOT_TENANT_OWNED = {
    "accounts.User": "a person may belong to several practices",
    "accounts.Practice": "the tenant itself",
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


def test_every_tenant_model_inherits_the_base_model():
    """`vcio.models.TenantModel`: the UUID key, the non-null practice and the `for_practice()` manager."""
    from vcio.models import TenantModel

    for model in our_models():
        if model._meta.label in NOT_TENANT_OWNED or is_history(model):
            continue
        assert issubclass(model, TenantModel), f"{model._meta.label} must inherit vcio.models.TenantModel"


def tenant_owned_columns(model) -> set[str]:
    """Columns naming a row of another tenant model (`client_id`, `initiative_id`, …): the practice's
    data. Users (a person may belong to several practices), secrets looked up across practices by
    their hash, and plain values are not tenant-owned columns."""
    return {
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.name != "practice" and is_tenant_model(f.related_model)
    }


def indexes_and_unique_constraints(model) -> list[tuple[str, list[str]]]:
    """(name, columns) of every index and unique constraint Django makes for the model's table."""
    meta, found = model._meta, []
    column = {f.name: f.column for f in meta.concrete_fields}
    for f in meta.concrete_fields:
        if f.primary_key:
            continue
        if f.unique:
            found.append((f"{f.name} (unique=True)", [f.column]))
        elif f.db_index:
            found.append((f"{f.name} (db_index: a foreign key is indexed unless db_index=False)", [f.column]))
    for index in meta.indexes:
        found.append((index.name, [column[name.lstrip("-")] for name in index.fields]))
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            found.append((constraint.name, [column[name] for name in constraint.fields]))
    for fields in meta.unique_together:
        found.append((f"unique_together {fields}", [column[name] for name in fields]))
    return found


def test_indexes_and_unique_constraints_on_tenant_data_start_with_practice():
    """Ready to distribute tables by `practice_id` (Citus): an index or unique constraint naming a
    tenant-owned column leads with `practice_id` (`(practice, client)`, not `(client)`). Give the
    foreign key `db_index=False` and a practice-led index in `Meta.indexes` instead.

    History tables (django-simple-history) are append-only audit copies whose indexes the library
    makes (the object's id, the date, the user); they are not checked here."""
    problems, checked = [], 0
    for model in our_models():
        if model._meta.label in NOT_TENANT_OWNED or is_history(model):
            continue
        owned = tenant_owned_columns(model)
        for name, columns in indexes_and_unique_constraints(model):
            if set(columns) & owned:
                checked += 1
                if columns[0] != "practice_id":
                    problems.append(f"{model._meta.label}: {name} on {columns}")
    assert not problems, "Lead these with practice:\n" + "\n".join(problems)
    assert checked >= 8


def test_every_tenant_foreign_key_has_a_practice_led_index():
    """With the single-column foreign-key indexes gone, each tenant-owned column still has an index
    `(practice_id, <column>, …)` for joins and lookups."""
    missing = []
    for model in our_models():
        if model._meta.label in NOT_TENANT_OWNED or is_history(model):
            continue
        leading_pairs = {tuple(cols[:2]) for _, cols in indexes_and_unique_constraints(model)}
        missing += [
            f"{model._meta.label}.{col}"
            for col in sorted(tenant_owned_columns(model))
            if ("practice_id", col) not in leading_pairs
        ]
    assert not missing, "Add a Meta.indexes entry (practice, <field>) for: " + ", ".join(missing)
