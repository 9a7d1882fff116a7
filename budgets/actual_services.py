"""Every write of a client's actual spend: keyword-only, transactional, validated; `practice` comes
from the client, never from input.

- An actual's vendor is one of the practice's, its budget line one of the client's budget (not a
  scenario's); an actual never moves to another client.
- **Imports** are all or nothing (`actuals_import`): every row is validated again first, any error
  refuses them all.
- Each client's spend by month (`MonthlySpend`) follows every actual written (`spend.resum`: from
  `Actual.save`/`delete`, and after the import's bulk insert).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from clients.models import Client
from vcio.services import apply_fields, audit

from . import spend
from .models import Actual, ActualSource, Budget
from .services import actor_or_none, check_vendor

ACTUAL_FIELDS = ("date", "amount", "category", "vendor", "budget_line", "description")


def _check_actual(actual: Actual, client: Client) -> None:
    check_vendor(client, actual.vendor)
    line = actual.budget_line
    if line is not None:
        budget = Budget.objects.for_practice(client.practice_id).filter(pk=line.budget_id).first()
        if budget is None or budget.client_id != client.pk or budget.is_scenario:
            raise ValidationError({"budget_line": "Choose a line of this client's budget."})


def _check_same_client(actual: Actual, client: Client | None) -> None:
    if client is not None and client.pk != actual.client_id:
        raise ValidationError({"client": "Actual spend cannot move to another client."})


def validate_actual(*, client: Client, **data) -> Actual:
    """An unsaved, validated actual of the client (the import's preview uses it too)."""
    actual = Actual(practice_id=client.practice_id, client=client)
    apply_fields(actual, data, ACTUAL_FIELDS)
    actual.description = (actual.description or "").strip()
    _check_actual(actual, client)
    actual.full_clean(validate_constraints=False)
    return actual


@transaction.atomic
def actual_create(*, client: Client, actor: User | None, **data) -> Actual:
    actual = validate_actual(client=client, **data)
    audit(actual, actor)
    actual.save()
    return actual


@transaction.atomic
def actual_update(*, actual: Actual, actor: User | None, **data) -> Actual:
    _check_same_client(actual, data.pop("client", None))
    apply_fields(actual, data, ACTUAL_FIELDS)
    actual.description = (actual.description or "").strip()
    _check_actual(actual, actual.client)
    actual.full_clean(validate_constraints=False)
    audit(actual, actor)
    actual.save()
    return actual


@transaction.atomic
def actual_delete(*, actual: Actual, actor: User | None) -> None:
    audit(actual, actor)
    actual.delete()


@transaction.atomic
def actuals_import(*, client: Client, actor: User | None, rows: list[dict]) -> list[Actual]:
    """Create every row's actual, or none: each is validated again first; any error refuses them all
    (a ValidationError naming the row)."""
    made, problems = [], []
    for number, data in enumerate(rows, start=2):
        try:
            actual = validate_actual(client=client, **data)
        except ValidationError as exc:
            problems.append(f"Row {number}: {' '.join(exc.messages)}")
            continue
        actual.source = ActualSource.IMPORT
        made.append(actual)
    if problems:
        raise ValidationError(problems)
    if made:
        bulk_create_with_history(
            made,
            Actual,
            batch_size=500,
            default_user=actor_or_none(actor),
            default_change_reason="Imported from CSV",
        )
        spend.resum(client.practice_id, [(client.pk, actual.date) for actual in made])
    return made
