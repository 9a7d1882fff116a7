"""The demo-data registry. `seed_demo` (accounts) creates the practice and its people, then runs every
registered seeder in order; each app adds its own realistic data for the world in its
`AppConfig.ready()` (clients add clients and contacts, roadmaps goals and initiatives, …).

Nothing here imports an app of ours: the world carries model objects the seeders made.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "vcio-demo-2026!"


@dataclass
class DemoWorld:
    practice: Any
    users: dict[str, list[Any]] = field(default_factory=dict)  # role -> users
    clients: list[Any] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    extra: dict[str, Any] = field(default_factory=dict)  # what one seeder leaves for a later one

    @property
    def owner(self):
        return self.users["owner"][0]

    @property
    def consultants(self) -> list:
        return self.users.get("consultant", [])


_SEEDERS: list[tuple[int, Callable[[DemoWorld], None]]] = []
_LOGINS: list[Callable[[Any], list[tuple[str, str, str]]]] = []


def register_demo_seeder(fn: Callable[[DemoWorld], None], order: int = 50) -> None:
    if all(f is not fn for _, f in _SEEDERS):
        _SEEDERS.append((order, fn))


def register_demo_logins(fn: Callable[[Any], list[tuple[str, str, str]]]) -> None:
    """`fn(practice)` -> extra demo logins `(KIND, email, password)` (e.g. client executives)."""
    if fn not in _LOGINS:
        _LOGINS.append(fn)


def run_seeders(world: DemoWorld) -> None:
    for _, seeder in sorted(_SEEDERS, key=lambda s: s[0]):
        seeder(world)


def extra_logins(practice) -> list[tuple[str, str, str]]:
    return [login for fn in _LOGINS for login in fn(practice)]
