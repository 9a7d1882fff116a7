"""Writes of the practice's standards library: its own frameworks and their standards, and the
import of a catalog (JSON or CSV, validated whole, all or nothing). The shipped catalogs are never
written here (they are read-only; `catalog_services` loads them).

Orders are kept as the catalog shape wants them: 1..n in a depth-first walk of the tree.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Practice, User
from vcio.services import apply_fields, audit

from .catalog import validate_catalog
from .catalog_selectors import unique_standard_slug
from .models import (
    Adoption,
    AssessmentStatus,
    Response,
    Standard,
    StandardFramework,
    Weight,
)

FRAMEWORK_FIELDS = ("name", "version", "description")
STANDARD_FIELDS = ("ref", "title", "text", "weight", "kind", "required")
LIMITS = {"ref": 60, "title": 300, "kind": 40, "text": 20_000}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def standard_framework_create(*, practice: Practice, actor: User | None, **data) -> StandardFramework:
    framework = StandardFramework(practice=practice)
    apply_fields(framework, data, FRAMEWORK_FIELDS)
    framework.slug = unique_standard_slug(practice=practice, name=framework.name)
    framework.full_clean()
    audit(framework, actor)
    framework.save()
    return framework


@transaction.atomic
def standard_framework_update(
    *, framework: StandardFramework, actor: User | None, **data
) -> StandardFramework:
    apply_fields(framework, data, FRAMEWORK_FIELDS)
    framework.full_clean()
    audit(framework, actor)
    framework.save()
    return framework


@transaction.atomic
def standard_framework_delete(*, framework: StandardFramework, actor: User | None) -> None:
    """Delete a framework of the practice with its standards — refused while a client has adopted it."""
    adopted = (
        Adoption.objects.for_practice(framework.practice_id).filter(standard_framework=framework).count()
    )
    if adopted:
        raise ValidationError(
            {
                "framework": f"{adopted} client{'s have' if adopted != 1 else ' has'} adopted “{framework.name}”; "
                "remove it from them first."
            }
        )
    audit(framework, actor)
    framework.delete()


def _renumber(framework: StandardFramework) -> None:
    """Orders 1..n in a depth-first walk; siblings keep their relative order. Levels follow parents."""
    items = list(Standard.objects.for_practice(framework.practice_id).filter(framework=framework))
    children: dict = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda s: (s.order, s.ref))
    changed, counter = [], 0
    stack = [(item, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, level = stack.pop()
        counter += 1
        if item.order != counter or item.level != level:
            item.order, item.level = counter, level
            changed.append(item)
        stack.extend((c, level + 1) for c in reversed(children.get(item.pk, [])))
    if changed:
        Standard.objects.bulk_update(changed, ["order", "level"], batch_size=500)


def _check_parent(
    framework: StandardFramework, parent: Standard | None, standard: Standard | None = None
) -> None:
    if parent is None:
        return
    if parent.practice_id != framework.practice_id or parent.framework_id != framework.pk:
        raise ValidationError({"parent": "Choose an item of this framework."})
    if standard is not None and standard.pk:
        node = parent
        while node is not None:
            if node.pk == standard.pk:
                raise ValidationError(
                    {"parent": "An item cannot sit under itself or under one of its own items."}
                )
            node = node.parent
    if parent.level >= 8:
        raise ValidationError({"parent": "Keep the framework at most nine levels deep."})


def _add_to_open_assessments(standard: Standard, actor) -> None:
    """A new standard is answered "not assessed" in the assessments in progress of its framework."""
    open_assessments = (
        Adoption.objects.for_practice(standard.practice_id)
        .filter(standard_framework_id=standard.framework_id, assessments__status=AssessmentStatus.IN_PROGRESS)
        .values_list("assessments__id", "client_id")
    )
    responses = [
        Response(
            practice_id=standard.practice_id,
            client_id=client_id,
            assessment_id=assessment_id,
            standard=standard,
        )
        for assessment_id, client_id in open_assessments
    ]
    if responses:
        bulk_create_with_history(responses, Response, default_user=_actor(actor))


@transaction.atomic
def standard_create(
    *, framework: StandardFramework, actor: User | None, parent: Standard | None = None, order=None, **data
) -> Standard:
    """A new standard (or heading) of the practice's framework, last under its parent unless an
    order is given."""
    _check_parent(framework, parent)
    standard = Standard(practice_id=framework.practice_id, framework=framework, parent=parent)
    data.setdefault("weight", Weight.MEDIUM)
    apply_fields(standard, data, STANDARD_FIELDS)
    standard.level = parent.level + 1 if parent else 0
    standard.order = order if order is not None else 1_000_000
    if (
        Standard.objects.for_practice(framework.practice_id)
        .filter(framework=framework, ref=standard.ref)
        .exists()
    ):
        raise ValidationError({"ref": f"“{standard.ref}” is already used in this framework."})
    standard.full_clean(exclude=["framework", "parent"])
    audit(standard, actor)
    standard.save()
    _renumber(framework)
    _add_to_open_assessments(standard, actor)
    standard.refresh_from_db(fields=["order", "level"])
    return standard


@transaction.atomic
def standard_update(*, standard: Standard, actor: User | None, parent=..., order=None, **data) -> Standard:
    framework = standard.framework
    apply_fields(standard, data, STANDARD_FIELDS)
    if parent is not ...:
        _check_parent(framework, parent, standard)
        standard.parent = parent
    if order is not None:
        standard.order = order
    if (
        Standard.objects.for_practice(standard.practice_id)
        .filter(framework_id=standard.framework_id, ref=standard.ref)
        .exclude(pk=standard.pk)
        .exists()
    ):
        raise ValidationError({"ref": f"“{standard.ref}” is already used in this framework."})
    standard.full_clean(exclude=["framework", "parent"])
    audit(standard, actor)
    standard.save()
    _renumber(framework)
    standard.refresh_from_db(fields=["order", "level"])
    return standard


def _subtree_ids(standard: Standard) -> list:
    items = Standard.objects.for_practice(standard.practice_id).filter(framework_id=standard.framework_id)
    children: dict = {}
    for pk, parent_id in items.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [standard.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


@transaction.atomic
def standard_delete(*, standard: Standard, actor: User | None) -> None:
    """Delete a standard and the items under it. Refused when a completed assessment answered one
    of them (a snapshot keeps its items); answers in assessments in progress go with it."""
    ids = _subtree_ids(standard)
    answers = Response.objects.for_practice(standard.practice_id).filter(standard_id__in=ids)
    if answers.filter(assessment__status=AssessmentStatus.COMPLETED).exists():
        raise ValidationError(
            {"standard": "Completed assessments answered this item; it stays so their snapshots stay whole."}
        )
    answers.delete()
    framework = standard.framework
    audit(standard, actor)
    standard.delete()
    _renumber(framework)


def _import_problems(practice: Practice, data: dict) -> list[str]:
    problems = validate_catalog(data)
    if problems:
        return problems
    for key, limit in (("name", 200), ("version", 60)):
        if len(data[key]) > limit:
            problems.append(f'"{key}" is {len(data[key])} characters long; at most {limit} are allowed')
    if not isinstance(data.get("description", ""), str):
        problems.append('"description" must be a string')
    for index, item in enumerate(data["requirements"]):
        for key, limit in LIMITS.items():
            value = item.get(key)
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    f'requirements[{index}] (ref "{item["ref"]}"): "{key}" is {len(value)} characters long; '
                    f"at most {limit} are allowed"
                )
            elif key == "kind" and value is not None and not isinstance(value, str):
                problems.append(f'requirements[{index}] (ref "{item["ref"]}"): "kind" must be a string')
        if any(c in item["title"] for c in "\r\n\t") or any(c in item["ref"] for c in "\r\n\t"):
            problems.append(
                f'requirements[{index}] (ref "{item["ref"]}"): "ref" and "title" must be one line each'
            )
        if item["level"] > 8:
            problems.append(f'requirements[{index}] (ref "{item["ref"]}"): at most nine levels')
    if StandardFramework.objects.for_practice(practice).filter(slug=data["slug"]).exists():
        problems.append(
            f'you already have a framework with slug "{data["slug"]}"; change the slug or delete it first'
        )
    return problems


@transaction.atomic
def standards_import(*, practice: Practice, actor: User | None, data: dict) -> StandardFramework:
    """A new framework of the practice from a catalog (the JSON shape, or CSV converted to it):
    validated whole first; either everything is created or nothing (ValidationError on `file`, one
    message per problem)."""
    problems = _import_problems(practice, data)
    if problems:
        raise ValidationError(
            {"file": problems[:50] + ([f"… and {len(problems) - 50} more"] if len(problems) > 50 else [])}
        )
    description = data.get("description", "")
    framework = StandardFramework(
        practice=practice,
        slug=data["slug"],
        name=data["name"].strip(),
        version=data["version"].strip(),
        description=description if isinstance(description, str) else "",
    )
    framework.full_clean()
    audit(framework, actor)
    framework.save()
    ids = {item["ref"]: uuid.uuid4() for item in data["requirements"]}
    now = timezone.now()
    standards = [
        Standard(
            id=ids[item["ref"]],
            practice=practice,
            framework=framework,
            parent_id=ids[item["parent"]] if item["parent"] else None,
            ref=item["ref"],
            title=item["title"].strip(),
            text=item["text"],
            level=item["level"],
            order=item["order"],
            kind=item.get("kind") or "",
            required=item.get("required"),
            weight=item.get("weight") or Weight.MEDIUM,
            created_at=now,
            updated_at=now,
        )
        for item in data["requirements"]
    ]
    bulk_create_with_history(standards, Standard, batch_size=500, default_user=_actor(actor))
    return framework
