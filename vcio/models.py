"""Shared model base classes. This package imports nothing else of ours: the practice is named by string."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

PREFETCHED = "prefetched_"


class TenantQuerySet(models.QuerySet):
    def for_practice(self, practice):
        """Rows of one practice (a Practice or its id). Fails closed: no practice is an error, never
        "everything"."""
        if practice is None or practice == "":
            raise ValueError("for_practice() needs a practice; refusing to return every tenant's rows.")
        return self.filter(practice_id=getattr(practice, "pk", practice))

    def for_client(self, client):
        """Rows of one client (filtered by its practice too, so the practice-led indexes are used)."""
        if client is None:
            raise ValueError("for_client() needs a client; refusing to return every client's rows.")
        return self.for_practice(client.practice_id).filter(client_id=client.pk)

    def all_practices(self):
        """Every practice's rows — only for the few paths that must span practices (seeding, the daily
        fan-out of scheduled jobs, lookups by a secret token). The name makes such a query stand out
        in review, and it must be called inside `vcio.tenancy.all_practices(reason)` (which logs the
        reason and, on PostgreSQL, lets row-level security show every practice): outside one it is an
        error, on SQLite too."""
        from .tenancy import spanning_reason

        if spanning_reason() is None:
            raise RuntimeError(
                f"{self.model.__name__}.objects.all_practices() outside vcio.tenancy.all_practices(reason)."
            )
        return self.all()


class TenantModel(models.Model):
    """Base of every tenant-owned model: a UUID key and its own non-null practice foreign key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def prefetched(self, relation: str) -> list:
        """The related rows a selector prefetched with `Prefetch(relation, to_attr="prefetched_" +
        relation)`, else the relation queried (a row just written, a page that did not prefetch).

        With `to_attr` Django keeps a plain list on each row; without it, it builds a related
        manager and a filtered queryset for every row, about 0.1 ms each: 5 ms of a 50-row list."""
        try:
            return self.__dict__[PREFETCHED + relation]
        except KeyError:
            return list(getattr(self, relation).all())

    def forget_prefetched(self) -> None:
        """Drop the lists prefetched into `prefetched_…` attributes: they show the row before a write
        (as Django's own prefetch cache, which DRF clears after an update)."""
        for name in [name for name in self.__dict__ if name.startswith(PREFETCHED)]:
            del self.__dict__[name]


def attach_prefetched(rows: list, relation: str, pairs) -> list:
    """Sets each row's `prefetched(relation)` to the items `pairs` — (row pk, item), in the order to
    show — names for it ([] for none): a relation a list shows read in one query of plain values
    (`values_list`), without the model instance per related row a `Prefetch` builds (an API list
    of 50 meetings built about 500 of them for the ids and titles it shows)."""
    by_pk = {}
    for row in rows:
        row.__dict__[PREFETCHED + relation] = []
        by_pk[row.pk] = row
    if by_pk:
        for pk, item in pairs:
            by_pk[pk].__dict__[PREFETCHED + relation].append(item)
    return rows


def is_tenant_model(model) -> bool:
    return isinstance(model, type) and issubclass(model, TenantModel)


def scoped_object_or_404(model_or_queryset, *, practice, pk, client=None):
    """The one way to fetch an object named in a URL: of this practice (and of this client, when
    given), else 404 — the same answer for "does not exist", "not yours" and a malformed id.

    Accepts a tenant model or a queryset of one (e.g. with `select_related`); the practice filter is
    applied either way, so a caller cannot forget it."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    if not is_tenant_model(queryset.model):
        raise TypeError(f"{queryset.model.__name__} is not a tenant model.")
    queryset = queryset.for_practice(practice)
    if client is not None:
        queryset = queryset.filter(client_id=client.pk)
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from None
