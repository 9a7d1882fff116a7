"""The scale-data registry: `python manage.py seed_scale` fills a database with many practices of
realistic, complete data through bulk inserts, for the benchmarks (`benchmarks/`).

`accounts` drives it (practices and their people); every app adds its own rows by registering a
seeder in its `AppConfig.ready()`, like the demo seeders (`vcio.demo`):

    register_scale_seeder(seed_clients_at_scale, order=5)

A seeder receives a `ScaleBatch` (a few practices at a time) and adds its rows for every practice
of the batch with `batch.insert(...)` (one `bulk_create` per model and batch) and the audit rows
the pages read with `batch.history(...)`. What one seeder makes for a later one goes on the
`ScalePractice` (`clients`, `users`) or its `extra` dict. Each practice has its own random
generator seeded by its slug, so practice `scale-0001` gets the same data whatever else is seeded
(the benchmarks compare it among 10 and among 200 practices).

Nothing here imports an app of ours.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class ScaleSpec:
    practices: int  # ordinary practices
    clients_per_practice: int
    big_factor: int = (
        10  # 0: no Big practice; else one practice with factor× the clients, each factor× the rows
    )
    seed: int = 2026


@dataclass
class ScalePractice:
    practice: Any
    factor: int  # 1 for an ordinary practice, big_factor for the Big one
    rng: random.Random
    users: dict[str, list[Any]] = field(default_factory=dict)  # role -> users
    clients: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def owner(self):
        return self.users["owner"][0]

    @property
    def editors(self) -> list:
        """Members who do client work (owners, admins, consultants)."""
        return [u for role in ("owner", "admin", "consultant") for u in self.users.get(role, [])]

    @property
    def consultants(self) -> list:
        return self.users.get("consultant") or [self.owner]


@dataclass
class ScaleBatch:
    spec: ScaleSpec
    practices: list[ScalePractice]
    today: date
    now: datetime
    counts: Counter = field(default_factory=Counter)  # table -> rows inserted
    extra: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 2000

    def insert(self, model: type[models.Model], objs: Iterable[models.Model]) -> list:
        """Bulk-insert `objs` (primary keys are set by the model: UUIDs). Returns the list."""
        objs = list(objs)
        if objs:
            model.objects.bulk_create(objs, batch_size=self.batch_size)
            self.counts[model._meta.db_table] += len(objs)
        return objs

    def history(self, model: type[models.Model], rows: Iterable[dict]) -> None:
        """Bulk-insert audit-history rows of `model`: each a dict with `obj` (the object as it was),
        `type` ("+", "~", "-"), `date`, `user` (or None) and optionally `reason` and `values`
        (field values that differ from the object's, e.g. an older status)."""
        history_model = model.history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        built = []
        for row in rows:
            obj = row["obj"]
            values = {name: getattr(obj, name) for name in tracked}
            values.update(row.get("values", {}))
            user = row.get("user")
            built.append(
                history_model(
                    history_date=row["date"],
                    history_type=row["type"],
                    history_user_id=getattr(user, "pk", None),
                    history_change_reason=row.get("reason", ""),
                    **values,
                )
            )
        self.insert(history_model, built)

    def past(self, rng: random.Random, days: int = 720) -> datetime:
        """A moment in the last `days` days (audit rows spread over two years)."""
        return self.now - timedelta(seconds=rng.randint(3600, days * 86400))

    def after(self, rng: random.Random, start: datetime) -> datetime:
        """A moment between `start` and now (a later change of the same object)."""
        return start + (self.now - start) * rng.uniform(0.05, 0.95)


_SEEDERS: list[tuple[int, Callable[[ScaleBatch], None]]] = []


def register_scale_seeder(fn: Callable[[ScaleBatch], None], order: int = 50) -> None:
    if all(f is not fn for _, f in _SEEDERS):
        _SEEDERS.append((order, fn))


def scale_seeders() -> list[Callable[[ScaleBatch], None]]:
    return [fn for _, fn in sorted(_SEEDERS, key=lambda s: s[0])]


def practice_rng(spec: ScaleSpec, slug: str) -> random.Random:
    return random.Random(f"{spec.seed}:{slug}")


def new_batch(spec: ScaleSpec, practices: list[ScalePractice]) -> ScaleBatch:
    now = timezone.now()
    return ScaleBatch(spec=spec, practices=practices, today=timezone.localdate(), now=now)
