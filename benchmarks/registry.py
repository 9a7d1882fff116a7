"""What the harness measures: a `Case` per page or endpoint, registered by one file per app in
`benchmarks/cases/<app>.py` (a module-level `CASES = [...]`; every module there is discovered).

A case names how to build its URL and its **floor** — one raw SQL statement that reads the same rows
the page or endpoint shows (the harness fetches them and encodes them as JSON) — for a `Target`: a
practice, its first active client and the objects under it, resolved in the database being
measured. See benchmarks/README.md.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

# kinds: the targets that apply (issue 9)
PAGE = "page"  # Big/small <= 1.3, tenant independence <= 1.1
LIST_PAGE = "list page"  # and within 4x of its floor
ENDPOINT = "endpoint"  # tenant independence <= 1.1
LIST_ENDPOINT = "list endpoint"  # and within 3x of its floor
OVERHEAD = "overhead"  # a page with no data of its own: at most 4 data queries
KINDS = (PAGE, LIST_PAGE, ENDPOINT, LIST_ENDPOINT, OVERHEAD)


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    url: Callable[["Target"], str]
    floor: Callable[["Target"], tuple[str, list]] | None = None  # (sql, params); None: no floor
    api: bool = False  # sent with the practice's API key instead of the signed-in session
    client_page: bool = False  # a page of one client: p95 < 100 ms at concurrency 1
    status: int = 200  # the answer expected (a redirect is 302)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {KINDS}")


class Target:
    """A practice as the benchmark sees it: the owner signs in; `client` is its first active client
    by name (in the Big practice every client has big-factor× the rows). Objects are looked up in
    the database being measured (each world has its own primary keys)."""

    def __init__(self, practice, owner):
        self.practice = practice
        self.owner = owner

    @property
    def slug(self) -> str:
        return self.practice.slug

    @property
    def pid(self) -> str:
        return str(self.practice.pk)

    @cached_property
    def client(self):
        from clients.models import Client

        return Client.objects.for_practice(self.practice).filter(status="active").order_by("name").first()

    @property
    def cid(self) -> str:
        return str(self.client.pk)

    def first(self, model, **filters):
        """The first row of `model` of this target's client (by primary key: stable per world)."""
        return model.objects.for_client(self.client).filter(**filters).order_by("pk").first()


def discover_cases(only: set[str] | None = None) -> list[Case]:
    from . import cases as package

    found: list[Case] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if only and info.name not in only:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "CASES", []))
    names = [c.name for c in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"Duplicate benchmark case names: {sorted(duplicates)}")
    return found
