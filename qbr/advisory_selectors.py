"""Reads of advisories: the practice's list (filtered, sorted), an advisory with its chosen clients,
the advisories targeted at a client (overview panel, QBR report) and the clients an advisory targets.
Every function takes the practice (or a client) explicitly; each runs a fixed number of queries."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from clients.models import Client
from vcio.history import HistorySource, merged_history
from vcio.listing import apply_sort

from .advisory_models import Advisory, AdvisoryClient, AdvisoryTargeting

ADVISORY_SORTS = {
    "title": "title",
    "category": "category",
    "severity": "severity_rank",
    "published": "published_on",
    "updated": "updated_at",
}
STATUS_FILTERS = [("", "Any status"), ("published", "Published"), ("draft", "Draft")]


def _with_rank(qs: QuerySet) -> QuerySet:
    from django.db.models import Case, IntegerField, Value, When

    return qs.annotate(
        severity_rank=Case(
            When(severity="critical", then=Value(3)),
            When(severity="important", then=Value(2)),
            When(severity="advisory", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def advisory_list(
    *,
    practice,
    q: str = "",
    category: str = "",
    severity: str = "",
    status: str = "",
    sort: str = "-published",
) -> tuple[QuerySet[Advisory], str]:
    qs = _with_rank(Advisory.objects.for_practice(practice))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if category:
        qs = qs.filter(category=category)
    if severity:
        qs = qs.filter(severity=severity)
    if status == "published":
        qs = qs.filter(published_on__isnull=False)
    elif status == "draft":
        qs = qs.filter(published_on__isnull=True)
    return apply_sort(qs, sort, ADVISORY_SORTS, default="-published_on,-created_at,pk")


def latest_published(*, practice, limit: int = 5) -> list[Advisory]:
    """The practice's most recently published advisories (the dashboard's card). One query."""
    qs = Advisory.objects.for_practice(practice).filter(published_on__isnull=False)
    return list(qs.order_by("-published_on", "-created_at", "pk")[:limit])


def advisories_of_practice(*, practice) -> QuerySet[Advisory]:
    """The API's list: every advisory of the practice with its chosen clients' links prefetched."""
    return (
        Advisory.objects.for_practice(practice)
        .prefetch_related(
            Prefetch(
                "clients", queryset=Client.objects.for_practice(practice).order_by("name", "pk").only("id")
            )
        )
        .order_by("-created_at", "pk")
    )


def chosen_clients(advisory: Advisory) -> list[Client]:
    """The clients chosen for an advisory (whatever its targeting), by name."""
    return list(
        Client.objects.for_practice(advisory.practice_id)
        .filter(advisory_links__advisory=advisory, advisory_links__practice_id=advisory.practice_id)
        .order_by("name", "pk")
    )


def _targets_client(client: Client) -> Q:
    ind = client.industry
    by_industry = (
        Q(industries=ind)
        | Q(industries__startswith=f"{ind},")
        | Q(industries__endswith=f",{ind}")
        | Q(industries__contains=f",{ind},")
    )
    chosen = AdvisoryClient.objects.for_client(client).values("advisory_id")
    return (
        Q(targeting=AdvisoryTargeting.ALL)
        | (Q(targeting=AdvisoryTargeting.INDUSTRIES) & by_industry)
        | Q(targeting=AdvisoryTargeting.CLIENTS, pk__in=chosen)
    )


def advisories_for_client(
    *, client: Client, today: date | None = None, limit: int | None = None
) -> list[Advisory]:
    """Published advisories targeted at the client (all clients, its industry, or chosen), most
    severe and most recent first. One query."""
    qs = _with_rank(Advisory.objects.for_practice(client.practice_id)).filter(
        _targets_client(client), published_on__isnull=False
    )
    if today is not None:
        qs = qs.filter(published_on__lte=today)
    qs = qs.order_by("-published_on", "-severity_rank", "title", "pk")
    return list(qs[:limit] if limit else qs)


def targets(advisory: Advisory, client: Client) -> bool:
    """Is `client` among the clients `advisory` targets?"""
    if client.practice_id != advisory.practice_id:
        return False
    return (
        Advisory.objects.for_practice(advisory.practice_id)
        .filter(_targets_client(client), pk=advisory.pk)
        .exists()
    )


def targeted_clients(advisory: Advisory) -> QuerySet[Client]:
    """The practice's clients the advisory targets (the choices of "Make an initiative")."""
    clients = Client.objects.for_practice(advisory.practice_id).order_by("name", "pk")
    if advisory.targeting == AdvisoryTargeting.INDUSTRIES:
        return clients.filter(industry__in=advisory.industry_list)
    if advisory.targeting == AdvisoryTargeting.CLIENTS:
        chosen = AdvisoryClient.objects.for_practice(advisory.practice_id).filter(advisory=advisory)
        return clients.filter(pk__in=chosen.values("client_id"))
    return clients


_HISTORY = HistorySource("Advisory", rows=None)


def advisory_history(*, advisory: Advisory, limit: int = 50) -> list[dict]:
    """The advisory's audit history, newest first (the shared formatter: "Severity: Info → Critical")."""
    return merged_history(
        [(_HISTORY, Advisory.history.filter(practice_id=advisory.practice_id, id=advisory.pk))], limit=limit
    )
