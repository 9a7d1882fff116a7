"""Every write of advisories: keyword-only, transactional, validated; `practice` comes from the
caller's practice (or the advisory), never from input. "Make an initiative" goes through
`roadmaps.services.initiative_create` (the roadmap's one rule for a new initiative)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Practice, User
from clients.models import Client, Industry
from roadmaps.models import Category, Initiative, Priority
from roadmaps.services import initiative_create
from vcio.fiscal import fiscal_quarter
from vcio.services import apply_fields, audit

from . import advisory_selectors as selectors
from .advisory_models import Advisory, AdvisoryClient, AdvisoryTargeting
from .markdown import plain_text
from .services import practice_zone

ADVISORY_FIELDS = ("title", "body", "category", "severity", "targeting", "link")


def local_today(practice: Practice) -> date:
    return timezone.localtime(timezone.now(), practice_zone(practice)).date()


CATEGORY_TO_INITIATIVE = {
    "security": Category.SECURITY,
    "cloud": Category.CLOUD,
    "compliance": Category.COMPLIANCE,
    "hardware_lifecycle": Category.END_USER,
    "productivity": Category.SOFTWARE,
    "ai": Category.SOFTWARE,
    "other": Category.OTHER,
}
SEVERITY_TO_PRIORITY = {
    "critical": Priority.CRITICAL,
    "important": Priority.HIGH,
    "advisory": Priority.MEDIUM,
    "info": Priority.LOW,
}


def _industries(values: Iterable[str] | None) -> str:
    values = list(values or [])
    unknown = [v for v in values if v not in Industry.values]
    if unknown:
        raise ValidationError({"industries": f"Unknown industries: {', '.join(map(str, unknown))}."})
    order = {v: i for i, v in enumerate(Industry.values)}
    return ",".join(sorted(set(values), key=order.__getitem__))


def _clients(practice_id, clients: Iterable[Client] | None) -> list[Client]:
    found = list(clients or [])
    if any(c.practice_id != practice_id for c in found):
        raise ValidationError({"clients": "Choose clients of this practice."})
    return found


def _check_targeting(advisory: Advisory, clients: list[Client]) -> None:
    if advisory.targeting == AdvisoryTargeting.INDUSTRIES and not advisory.industry_list:
        raise ValidationError({"industries": "Choose at least one industry to target."})
    if advisory.targeting == AdvisoryTargeting.CLIENTS and not clients:
        raise ValidationError({"clients": "Choose at least one client to target."})


def _set_clients(advisory: Advisory, clients: list[Client]) -> None:
    links = AdvisoryClient.objects.for_practice(advisory.practice_id).filter(advisory=advisory)
    wanted = {c.pk for c in clients}
    links.exclude(client_id__in=wanted).delete()
    have = set(links.values_list("client_id", flat=True))
    AdvisoryClient.objects.bulk_create(
        [
            AdvisoryClient(practice_id=advisory.practice_id, advisory=advisory, client=c)
            for c in clients
            if c.pk not in have
        ]
    )


@transaction.atomic
def advisory_create(
    *,
    practice: Practice,
    actor: User | None,
    industries: Iterable[str] = (),
    clients: Iterable[Client] = (),
    **data,
) -> Advisory:
    """A new advisory of the practice, a draft (publish it with `advisory_publish`)."""
    advisory = Advisory(practice_id=getattr(practice, "pk", practice))
    apply_fields(advisory, data, ADVISORY_FIELDS)
    advisory.industries = _industries(industries)
    chosen = _clients(advisory.practice_id, clients)
    _check_targeting(advisory, chosen)
    advisory.full_clean()
    audit(advisory, actor)
    advisory.save()
    _set_clients(advisory, chosen)
    return advisory


@transaction.atomic
def advisory_update(
    *,
    advisory: Advisory,
    actor: User | None,
    industries: Iterable[str] | None = None,
    clients: Iterable[Client] | None = None,
    **data,
) -> Advisory:
    apply_fields(advisory, data, ADVISORY_FIELDS)
    if industries is not None:
        advisory.industries = _industries(industries)
    chosen = (
        _clients(advisory.practice_id, clients) if clients is not None else selectors.chosen_clients(advisory)
    )
    _check_targeting(advisory, chosen)
    advisory.full_clean()
    audit(advisory, actor)
    advisory.save()
    if clients is not None:
        _set_clients(advisory, chosen)
    return advisory


@transaction.atomic
def advisory_publish(*, advisory: Advisory, actor: User | None, on: date | None = None) -> Advisory:
    """Publish (from today in the practice's time zone, or `on`); publishing again keeps the date."""
    if advisory.published_on is None or on is not None:
        practice = Practice.objects.get(pk=advisory.practice_id)
        advisory.published_on = on or local_today(practice)
        audit(advisory, actor)
        advisory.save(update_fields=["published_on", "updated_at"])
    return advisory


@transaction.atomic
def advisory_unpublish(*, advisory: Advisory, actor: User | None) -> Advisory:
    """Back to a draft: it leaves every client's overview and the next QBR reports."""
    if advisory.published_on is not None:
        advisory.published_on = None
        audit(advisory, actor)
        advisory.save(update_fields=["published_on", "updated_at"])
    return advisory


@transaction.atomic
def advisory_delete(*, advisory: Advisory, actor: User | None) -> None:
    audit(advisory, actor)
    advisory.delete()


def initiative_description(advisory: Advisory, advisory_url: str = "") -> str:
    lines = [f"From the advisory “{advisory.title}” ({advisory.get_severity_display().lower()})."]
    summary = plain_text(advisory.body, 4_000)
    if summary:
        lines += ["", summary]
    if advisory.link:
        lines += ["", f"Further reading: {advisory.link}"]
    if advisory_url:
        lines += ["", f"Advisory: {advisory_url}"]
    return "\n".join(lines)[:20_000]


@transaction.atomic
def advisory_make_initiative(
    *,
    advisory: Advisory,
    client: Client,
    actor: User | None,
    advisory_url: str = "",
    today: date | None = None,
) -> Initiative:
    """A proposed initiative on the client's roadmap, made from the advisory (title, description with
    a link back, category and priority from the advisory's), starting in the client's next fiscal
    quarter. Only for a client the advisory targets."""
    if client.practice_id != advisory.practice_id or not selectors.targets(advisory, client):
        raise ValidationError({"client": "Choose a client this advisory is targeted at."})
    if today is None:
        today = local_today(Practice.objects.get(pk=advisory.practice_id))
    start = fiscal_quarter(today, client.fiscal_year_start_month).next()
    return initiative_create(
        client=client,
        actor=actor,
        target_start=start,
        reason=f"From advisory “{advisory.title}”"[:100],
        title=advisory.title,
        description=initiative_description(advisory, advisory_url),
        category=CATEGORY_TO_INITIATIVE.get(advisory.category, Category.OTHER),
        priority=SEVERITY_TO_PRIORITY.get(advisory.severity, Priority.MEDIUM),
    )
