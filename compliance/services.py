"""Every write of a client's compliance work: adoptions, assessments, answers, evidence and the
initiatives that close gaps. Keyword-only, transactional, validated; `practice` always comes from
the client (or the assessment), never from input.

A completed assessment is a snapshot: every write to it or its answers is refused.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.services import check_member
from clients.models import Client
from roadmaps.models import Category, Initiative
from roadmaps.services import initiative_create
from vcio.fiscal import FiscalQuarter
from vcio.services import apply_fields, audit

from . import catalog_selectors, selectors
from .models import (
    GAP_STATUSES,
    Adoption,
    Assessment,
    AssessmentStatus,
    EvidenceLink,
    Framework,
    InitiativeLink,
    Response,
    ResponseStatus,
    StandardFramework,
)
from .scores import Score

ADOPTION_FIELDS = ("scope_note", "target_date")
MAX_EVIDENCE_LINKS = 20
MAX_BULK = selectors.MAX_SELECTED
UNSET = object()  # "leave this field as it is" in a bulk update
http_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _save_answers(responses: list[Response], fields: list[str], actor, reason: str = "") -> None:
    """Write many answers with as few UPDATEs as there are distinct values (rather than Django's
    row-by-row CASE of `bulk_update`), then one history row each, naming the actor."""
    groups: dict = {}
    for response in responses:
        values = tuple((f, getattr(response, Response._meta.get_field(f).attname)) for f in fields)
        groups.setdefault(values, []).append(response.pk)
    for values, pks in groups.items():
        Response.objects.for_practice(responses[0].practice_id).filter(pk__in=pks).update(
            **{Response._meta.get_field(f).attname: v for f, v in values}
        )
    Response.history.bulk_history_create(
        responses, update=True, default_user=_actor(actor), default_change_reason=reason, batch_size=500
    )


def _check_editable(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.COMPLETED:
        raise ValidationError(
            {
                "assessment": "This assessment is completed: it is a snapshot and cannot change. Start a new one."
            }
        )


def _item_fields(node_or_response) -> dict:
    """{"requirement_id": …} or {"standard_id": …} for the item a response or link points at."""
    if getattr(node_or_response, "requirement_id", None):
        return {"requirement_id": node_or_response.requirement_id}
    return {"standard_id": node_or_response.standard_id}


# --- adoptions ---------------------------------------------------------------------------------------


def _check_framework(client: Client, framework) -> dict:
    if isinstance(framework, Framework):
        return {"framework": framework}
    if isinstance(framework, StandardFramework) and framework.practice_id == client.practice_id:
        return {"standard_framework": framework}
    raise ValidationError({"framework": "Choose a framework."})


@transaction.atomic
def adoption_create(
    *, client: Client, actor: User | None, framework, start_assessment: bool = False, **data
) -> Adoption:
    """The client adopts a framework (a shipped catalog or one of the practice's own), optionally
    starting its first assessment at once."""
    adoption = Adoption(practice_id=client.practice_id, client=client, adopted_by=_actor(actor))
    for key, value in _check_framework(client, framework).items():
        setattr(adoption, key, value)
    apply_fields(adoption, data, ADOPTION_FIELDS)
    taken = Adoption.objects.for_client(client).filter(
        framework_id=adoption.framework_id, standard_framework_id=adoption.standard_framework_id
    )
    if taken.exists():
        raise ValidationError({"framework": f"{client.name} has already adopted {framework.label}."})
    adoption.full_clean()
    audit(adoption, actor)
    adoption.save()
    if start_assessment:
        assessment_start(adoption=adoption, actor=actor)
    return adoption


@transaction.atomic
def adoption_update(*, adoption: Adoption, actor: User | None, **data) -> Adoption:
    """Change the scope note or the target date (the framework itself never changes)."""
    for key in ("framework", "standard_framework", "client"):
        if key in data:
            raise ValidationError(
                {key: "An adoption keeps its client and framework; adopt another one instead."}
            )
    apply_fields(adoption, data, ADOPTION_FIELDS)
    adoption.full_clean()
    audit(adoption, actor)
    adoption.save()
    return adoption


@transaction.atomic
def adoption_delete(*, adoption: Adoption, actor: User | None) -> None:
    """Drop the framework for this client, with its assessments, answers and initiative links (the
    initiatives themselves stay on the roadmap)."""
    audit(adoption, actor)
    adoption.delete()


# --- assessments -------------------------------------------------------------------------------------


def _default_title(adoption: Adoption, on: date) -> str:
    return f"{adoption.name[:150]} review {on:%Y-%m-%d}"


@transaction.atomic
def assessment_start(
    *, adoption: Adoption, actor: User | None, title: str = "", started_on: date | None = None
) -> Assessment:
    """A new assessment of the adoption, with an answer for every item — copied from the latest
    completed assessment (status, owner, due date, evidence notes and links; not the review), or
    "not assessed" for the first one. Only one assessment of a framework is in progress at a time."""
    Adoption.objects.select_for_update().for_practice(adoption.practice_id).filter(pk=adoption.pk).first()
    current = (
        Assessment.objects.for_practice(adoption.practice_id)
        .filter(adoption=adoption, is_current=True)
        .first()
    )
    if current is not None and not current.is_completed:
        raise ValidationError(
            {"assessment": f"“{current.title}” is still in progress: complete it before starting another."}
        )
    started_on = started_on or timezone.localdate()
    assessment = Assessment(
        practice_id=adoption.practice_id,
        client_id=adoption.client_id,
        adoption=adoption,
        title=(title or "").strip() or _default_title(adoption, started_on),
        started_on=started_on,
        status=AssessmentStatus.IN_PROGRESS,
        is_current=True,
        based_on=current,
    )
    assessment.full_clean(exclude=["client", "adoption", "based_on"])
    if current is not None:
        current.is_current = False
        audit(current, actor, f"Superseded by “{assessment.title}”")
        current.save(update_fields=["is_current", "updated_at"])
    audit(assessment, actor)
    assessment.save()

    _, nodes = catalog_selectors.framework_tree(
        practice=adoption.practice_id, framework=adoption.the_framework, detail="light"
    )
    previous = {}
    if current is not None:
        for r in (
            Response.objects.for_practice(adoption.practice_id)
            .filter(assessment=current)
            .prefetch_related("evidence_links")
        ):
            previous[r.item_id] = r
    item_key = "requirement_id" if adoption.framework_id else "standard_id"
    now = timezone.now()
    responses, copies = [], []
    for node in sorted(nodes, key=lambda n: n.order):
        if not node.assessable:
            continue
        old = previous.get(node.id)
        response = Response(
            practice_id=adoption.practice_id,
            client_id=adoption.client_id,
            assessment=assessment,
            created_at=now,
            updated_at=now,
            **{item_key: node.id},
        )
        if old is not None:
            response.status, response.owner_id, response.due_date = old.status, old.owner_id, old.due_date
            response.notes, response.answered_by_id, response.answered_at = (
                old.notes,
                old.answered_by_id,
                old.answered_at,
            )
            copies.extend((response, link) for link in old.evidence_links.all())
        responses.append(response)
    bulk_create_with_history(responses, Response, batch_size=500, default_user=_actor(actor))
    links = [
        EvidenceLink(practice_id=adoption.practice_id, response=response, url=link.url, label=link.label)
        for response, link in copies
    ]
    if links:
        bulk_create_with_history(links, EvidenceLink, batch_size=500, default_user=_actor(actor))
    return assessment


@transaction.atomic
def assessment_update(*, assessment: Assessment, actor: User | None, title: str) -> Assessment:
    _check_editable(assessment)
    assessment.title = (title or "").strip()
    assessment.full_clean(exclude=["client", "adoption", "based_on"])
    audit(assessment, actor)
    assessment.save(update_fields=["title", "updated_at"])
    return assessment


@transaction.atomic
def assessment_complete(*, assessment: Assessment, actor: User | None) -> Assessment:
    """Lock the assessment as a snapshot: every item gets an answer (an item added since it started
    as "not assessed"), each answer's weight is frozen, and the score is stored for the trend."""
    locked = Assessment.objects.select_for_update().for_practice(assessment.practice_id).get(pk=assessment.pk)
    _check_editable(locked)
    adoption = assessment.adoption
    _, nodes = catalog_selectors.framework_tree(
        practice=adoption.practice_id, framework=adoption.the_framework, detail="light"
    )
    responses = {
        r.item_id: r for r in Response.objects.for_practice(locked.practice_id).filter(assessment=locked)
    }
    item_key = "requirement_id" if adoption.framework_id else "standard_id"
    missing = []
    answers = []
    for node in nodes:
        if not node.assessable:
            continue
        response = responses.get(node.id)
        if response is None:
            response = Response(
                practice_id=locked.practice_id,
                client_id=locked.client_id,
                assessment=locked,
                weight=node.points,
                **{item_key: node.id},
            )
            missing.append(response)
        else:
            response.weight = node.points
        answers.append((node.points, response.status))
    if missing:
        bulk_create_with_history(missing, Response, batch_size=500, default_user=_actor(actor))
    answered = [r for r in responses.values() if r.item_id in {n.id for n in nodes if n.assessable}]
    if answered:
        Response.objects.bulk_update(answered, ["weight"], batch_size=500)  # bookkeeping: no history row
    score = Score.of(answers)
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_at, locked.completed_by = timezone.now(), _actor(actor)
    locked.score_earned, locked.score_possible = _points(score.earned), score.possible
    audit(locked, actor, "Completed")
    locked.save()
    for key in ("status", "completed_at", "completed_by", "score_earned", "score_possible", "updated_at"):
        setattr(assessment, key, getattr(locked, key))
    return assessment


def _points(value: Fraction) -> Decimal:
    """Whole and half points as a Decimal (exact: the denominator is 1 or 2)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


@transaction.atomic
def assessment_delete(*, assessment: Assessment, actor: User | None) -> None:
    """Discard an assessment in progress (its answers go with it); the previous one becomes current
    again. A completed assessment is a snapshot in the trend and is never deleted."""
    _check_editable(assessment)
    previous = assessment.based_on
    audit(assessment, actor)
    assessment.delete()
    if previous is not None:
        previous.is_current = True
        audit(previous, actor, "Current again (the next assessment was discarded)")
        previous.save(update_fields=["is_current", "updated_at"])


# --- answers -----------------------------------------------------------------------------------------


def _clean_links(links) -> list[tuple[str, str]]:
    cleaned, errors = [], []
    for url, label in links:
        url, label = (url or "").strip(), (label or "").strip()
        if not url:
            continue
        try:
            http_url(url)
        except ValidationError:
            errors.append(f"“{url[:80]}” is not a web address (http:// or https://).")
            continue
        if len(url) > 1_000 or len(label) > 200 or any(c in label for c in "\r\n\t"):
            errors.append(
                f"“{url[:80]}”: keep links under 1,000 and labels under 200 characters, on one line."
            )
            continue
        cleaned.append((url, label))
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        errors.append(f"At most {MAX_EVIDENCE_LINKS} evidence links per item.")
    if errors:
        raise ValidationError({"evidence_links": errors})
    return cleaned


def _check_initiatives(client_id, practice_id, initiatives: Iterable[Initiative]) -> list[Initiative]:
    initiatives = list(initiatives)
    if any(i.practice_id != practice_id or i.client_id != client_id for i in initiatives):
        raise ValidationError({"initiatives": "Choose initiatives of this client."})
    return initiatives


def _set_item_links(*, adoption: Adoption, item: dict, initiatives: list[Initiative], actor) -> None:
    existing = InitiativeLink.objects.for_practice(adoption.practice_id).filter(adoption=adoption, **item)
    wanted = {i.pk for i in initiatives}
    for link in existing.exclude(initiative_id__in=wanted):
        audit(link, actor)
        link.delete()
    have = set(existing.values_list("initiative_id", flat=True))
    for initiative in initiatives:
        if initiative.pk not in have:
            link = InitiativeLink(
                practice_id=adoption.practice_id,
                client_id=adoption.client_id,
                adoption=adoption,
                initiative=initiative,
                **item,
            )
            audit(link, actor)
            link.save()


@transaction.atomic
def response_update(
    *,
    response: Response,
    actor: User | None,
    status=UNSET,
    owner=UNSET,
    due_date=UNSET,
    notes=UNSET,
    evidence_links: Iterable[tuple[str, str]] | None = None,
    initiatives: Iterable[Initiative] | None = None,
    reviewed: bool = False,
) -> Response:
    """Answer one item: status (who answered and when is recorded; a changed status needs a new
    review), owner (a member who may do client work), due date, evidence notes and links, and the
    roadmap initiatives that address it. `reviewed=True` records the reviewer."""
    assessment = response.assessment
    _check_editable(assessment)
    now = timezone.now()
    if status is not UNSET:
        if status not in ResponseStatus.values:
            raise ValidationError({"status": "Choose a valid status."})
        if status != response.status:
            response.status = status
            response.answered_by, response.answered_at = _actor(actor), now
            response.reviewed_by, response.reviewed_at = None, None
    if owner is not UNSET and getattr(owner, "pk", None) != response.owner_id:
        check_member(response.practice_id, owner, "owner", editors_only=True)
        response.owner = owner
    if due_date is not UNSET:
        response.due_date = due_date
    if notes is not UNSET:
        response.notes = notes or ""
    if reviewed:
        response.reviewed_by, response.reviewed_at = _actor(actor), now
    links = _clean_links(evidence_links) if evidence_links is not None else None
    chosen = (
        _check_initiatives(response.client_id, response.practice_id, initiatives)
        if initiatives is not None
        else None
    )
    response.full_clean(exclude=["client", "assessment", "requirement", "standard", "owner"])
    audit(response, actor)
    response.save()
    if links is not None:
        EvidenceLink.objects.for_practice(response.practice_id).filter(response=response).delete()
        for url, label in links:
            link = EvidenceLink(practice_id=response.practice_id, response=response, url=url, label=label)
            audit(link, actor)
            link.save()
    if chosen is not None:
        _set_item_links(
            adoption=assessment.adoption, item=_item_fields(response), initiatives=chosen, actor=actor
        )
    return response


@transaction.atomic
def responses_bulk_update(
    *,
    assessment: Assessment,
    actor: User | None,
    response_ids: Iterable,
    status=UNSET,
    owner=UNSET,
    due_date=UNSET,
    reviewed: bool = False,
) -> int:
    """Set status, owner and/or due date (and optionally mark reviewed) on many answers at once —
    all of them or none. Returns how many answers changed."""
    _check_editable(assessment)
    if status is UNSET and owner is UNSET and due_date is UNSET and not reviewed:
        raise ValidationError({"__all__": "Choose a status, an owner, a due date or “mark reviewed”."})
    if status is not UNSET and status not in ResponseStatus.values:
        raise ValidationError({"status": "Choose a valid status."})
    if owner is not UNSET:
        check_member(assessment.practice_id, owner, "owner", editors_only=True)
    responses = selectors.selected_responses(assessment=assessment, response_ids=response_ids, lock=True)
    now, who = timezone.now(), _actor(actor)
    changed = []
    for response in responses:
        before = (response.status, response.owner_id, response.due_date, response.reviewed_at)
        if status is not UNSET and status != response.status:
            response.status = status
            response.answered_by, response.answered_at = who, now
            response.reviewed_by, response.reviewed_at = None, None
        if owner is not UNSET:
            response.owner = owner
        if due_date is not UNSET:
            response.due_date = due_date
        if reviewed:
            response.reviewed_by, response.reviewed_at = who, now
        if (response.status, response.owner_id, response.due_date, response.reviewed_at) != before:
            response.updated_at = now
            changed.append(response)
    if changed:
        fields = [
            "status",
            "owner",
            "due_date",
            "answered_by",
            "answered_at",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
        _save_answers(changed, fields, actor, "Bulk update")
    return len(changed)


ANSWER_FIELDS = ("status", "owner", "due_date", "notes")


@transaction.atomic
def responses_set(
    *, assessment: Assessment, actor: User | None, answers: dict, reviewed: bool = False
) -> int:
    """Answer many items at once, each its own way: `answers` maps a response id to the fields to set
    (status, owner, due date, evidence notes). All or nothing, like `responses_bulk_update` (one id
    that is not an answer of this assessment refuses everything); one write for all of them."""
    _check_editable(assessment)
    responses = selectors.selected_responses(assessment=assessment, response_ids=list(answers), lock=True)
    owners = {getattr(v.get("owner"), "pk", None): v["owner"] for v in answers.values() if v.get("owner")}
    for owner in owners.values():
        check_member(assessment.practice_id, owner, "owner", editors_only=True)
    now, who = timezone.now(), _actor(actor)
    for response in responses:
        data = answers.get(response.pk) or answers.get(str(response.pk)) or {}
        unknown = set(data) - set(ANSWER_FIELDS)
        if unknown:
            raise ValueError(f"Unknown fields: {sorted(unknown)}")
        status = data.get("status", response.status)
        if status not in ResponseStatus.values:
            raise ValidationError({"status": "Choose a valid status."})
        if status != response.status:
            response.status, response.answered_by, response.answered_at = status, who, now
            response.reviewed_by, response.reviewed_at = None, None
        for key in ("owner", "due_date", "notes"):
            if key in data:
                setattr(response, key, data[key] if key != "notes" else (data[key] or ""))
        if reviewed:
            response.reviewed_by, response.reviewed_at = who, now
        response.updated_at = now
    fields = [
        "status",
        "owner",
        "due_date",
        "notes",
        "answered_by",
        "answered_at",
        "reviewed_by",
        "reviewed_at",
    ]
    _save_answers(responses, [*fields, "updated_at"], actor)
    return len(responses)


@transaction.atomic
def initiative_from_gaps(
    *,
    assessment: Assessment,
    actor: User | None,
    response_ids: Iterable,
    target_start: FiscalQuarter,
    title: str,
    description: str = "",
    priority: str = "high",
    owner: User | None = None,
    target_end: FiscalQuarter | None = None,
) -> Initiative:
    """One roadmap initiative (through `roadmaps.services.initiative_create`) that addresses exactly
    the selected gaps; each gets a link to it. Only gaps (not implemented, partially implemented or
    not assessed) can be selected; an id of another assessment refuses the whole request."""
    responses = selectors.selected_responses(assessment=assessment, response_ids=response_ids)
    not_gaps = [r for r in responses if r.status not in GAP_STATUSES]
    if not_gaps:
        refs = ", ".join(r.item.ref for r in not_gaps[:5])
        raise ValidationError(
            {
                "responses": f"Only gaps can go into an initiative; these are implemented or not applicable: {refs}."
            }
        )
    adoption = assessment.adoption
    if not (description or "").strip():
        lines = [
            f"Closes {len(responses)} compliance gap{'s' if len(responses) != 1 else ''} of {adoption.name}:"
        ]
        lines += [f"- {r.item.ref} {r.item.title}"[:300] for r in responses]
        description = "\n".join(lines)[:20_000]
    initiative = initiative_create(
        client=assessment.client,
        actor=actor,
        target_start=target_start,
        target_end=target_end,
        title=title,
        description=description,
        category=Category.COMPLIANCE,
        priority=priority,
        owner=owner,
    )
    for response in responses:
        link = InitiativeLink(
            practice_id=assessment.practice_id,
            client_id=assessment.client_id,
            adoption=adoption,
            initiative=initiative,
            **_item_fields(response),
        )
        audit(link, actor)
        link.save()
    return initiative


def clear_member_assignments(*, practice_id, user: User, actor: User | None) -> int:
    """A member leaves: they no longer own answers of assessments in progress (completed ones are
    snapshots and keep who owned what). Returns how many changed."""
    responses = list(
        Response.objects.for_practice(practice_id).filter(
            owner=user, assessment__status=AssessmentStatus.IN_PROGRESS
        )
    )
    now = timezone.now()
    for response in responses:
        response.owner, response.updated_at = None, now
    if responses:
        _save_answers(responses, ["owner", "updated_at"], actor, f"{user.display_name} left the practice")
    return len(responses)
