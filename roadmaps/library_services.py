"""Every write of the initiative library: templates of the practice, and adding templates to a client's
roadmap. Adding goes through `roadmaps.services.initiative_create`, so an initiative made from a
template obeys the same rules and leaves the same history as one typed in by hand."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import Practice, User
from clients.models import Client
from vcio.fiscal import FiscalQuarter
from vcio.services import apply_fields, audit

from . import services
from .models import Goal, Initiative, InitiativeTemplate

TEMPLATE_FIELDS = (
    "title",
    "description",
    "category",
    "priority",
    "one_time_cost",
    "recurring_monthly_cost",
    "effort_hours",
    "business_impact",
    "risk_if_not_done",
    "tags",
)
# What a template gives the initiatives made from it (and takes from an initiative saved as one).
COPIED_FIELDS = tuple(f for f in TEMPLATE_FIELDS if f != "tags")
MAX_APPLY = 50  # templates added in one step
MAX_TAGS = 12
_SPACES = re.compile(r"\s+")


def normalise_tags(value: str | Iterable[str] | None) -> str:
    """ " Security,HIPAA ; insurance,security" -> "security, hipaa, insurance": lower case, single
    spaces, no duplicates, in the order first given. Commas or semicolons separate tags."""
    if value is None:
        return ""
    parts = re.split(r"[,;]", value) if isinstance(value, str) else list(value)
    tags: list[str] = []
    for part in parts:
        tag = _SPACES.sub(" ", str(part)).strip().lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": f"Use at most {MAX_TAGS} tags."})
    return ", ".join(tags)


def _check_title_free(template: InitiativeTemplate) -> None:
    taken = (
        InitiativeTemplate.objects.for_practice(template.practice_id)
        .annotate(lower_title=Lower("title"))
        .filter(lower_title=(template.title or "").strip().lower())
        .exclude(pk=template.pk)
    )
    if template.title and taken.exists():
        raise ValidationError({"title": f"The library already has a template called “{template.title}”."})


def _save(template: InitiativeTemplate, actor: User | None, reason: str = "") -> InitiativeTemplate:
    template.title = (template.title or "").strip()
    template.tags = normalise_tags(template.tags)
    _check_title_free(template)
    template.full_clean()
    audit(template, actor, reason)
    template.save()
    return template


@transaction.atomic
def template_create(*, practice: Practice, actor: User | None, **data) -> InitiativeTemplate:
    """A new template in the practice's library (titles are unique per practice, case-insensitively)."""
    return _create(practice, actor, data)


def _create(practice, actor, data: dict, reason: str = "") -> InitiativeTemplate:
    template = InitiativeTemplate(practice_id=getattr(practice, "pk", practice))
    apply_fields(template, data, TEMPLATE_FIELDS)
    return _save(template, actor, reason)


@transaction.atomic
def template_update(*, template: InitiativeTemplate, actor: User | None, **data) -> InitiativeTemplate:
    """Change a template. Initiatives already made from it keep what they were given."""
    apply_fields(template, data, TEMPLATE_FIELDS)
    return _save(template, actor)


@transaction.atomic
def template_delete(*, template: InitiativeTemplate, actor: User | None) -> None:
    """Delete a template; initiatives made from it stay as they are."""
    audit(template, actor)
    template.delete()


@transaction.atomic
def template_from_initiative(
    *, initiative: Initiative, actor: User | None, **overrides
) -> InitiativeTemplate:
    """ "Save as template": a new template of the initiative's practice with the initiative's title,
    description, category, priority, costs, effort, business impact and risk (`overrides`, e.g. a
    new title or tags, win). Nothing client-specific is copied (quarters, owner, sponsor, goals)."""
    data = {field: getattr(initiative, field) for field in COPIED_FIELDS}
    data.update(overrides)
    return _create(initiative.practice_id, actor, data, f"Saved from the initiative “{initiative.title}”")


@transaction.atomic
def templates_apply(
    *,
    client: Client,
    templates: Iterable[InitiativeTemplate],
    target_start: FiscalQuarter,
    actor: User | None,
    goals: Iterable[Goal] = (),
) -> list[Initiative]:
    """Add templates to the client's roadmap: one proposed initiative per template, starting (and
    ending) in `target_start` of the client's fiscal calendar, serving `goals`. All or nothing: if one
    cannot be created, none is. Each initiative's history says which template it came from."""
    chosen: list[InitiativeTemplate] = []
    for template in templates:
        if template.practice_id != client.practice_id:  # fail closed: never another practice's template
            raise ValidationError({"templates": "Choose templates of your practice's library."})
        if all(t.pk != template.pk for t in chosen):
            chosen.append(template)
    if not chosen:
        raise ValidationError({"templates": "Choose at least one template."})
    if len(chosen) > MAX_APPLY:
        raise ValidationError({"templates": f"Add at most {MAX_APPLY} templates at a time."})
    if target_start is None:
        raise ValidationError({"target_start": "Choose the quarter the initiatives start."})
    goals = list(goals)
    created = []
    for template in chosen:
        try:
            created.append(
                services.initiative_create(
                    client=client,
                    actor=actor,
                    target_start=target_start,
                    goals=goals,
                    reason=f"Added from the initiative library (“{template.title}”)",
                    **{field: getattr(template, field) for field in COPIED_FIELDS},
                )
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= {"target_start", "target_end", "goals"}:
                raise  # about the choice of quarter or goals, not about this template
            raise ValidationError(
                {"templates": f"“{template.title}” cannot be added: {' '.join(exc.messages)}"}
            ) from exc
    return created


@transaction.atomic
def templates_import(
    *, practice: Practice, actor: User | None, rows: list[tuple[int, dict]]
) -> tuple[int, int]:
    """Write parsed CSV rows `(line number, fields)` (see `roadmaps.library_csv`): a row whose title
    is already in the library updates that template, any other row creates one. All or nothing: a
    refused row raises a ValidationError naming its line, and nothing is written.
    Returns (created, updated)."""
    existing = {
        t.title.lower(): t for t in InitiativeTemplate.objects.for_practice(practice).select_for_update()
    }
    created = updated = 0
    for line, data in rows:
        key = str(data.get("title", "")).strip().lower()
        try:
            template = existing.get(key)
            if template is None:
                existing[key] = _create(practice, actor, data, "Imported from a CSV file")
                created += 1
            else:
                apply_fields(template, data, TEMPLATE_FIELDS)
                _save(template, actor, "Updated by a CSV import")
                updated += 1
        except ValidationError as exc:
            raise ValidationError(f"Row {line}: {' '.join(exc.messages)}") from exc
    return created, updated
