"""The app dependency map (ARCHITECTURE.md): apps depend downward only, and no app imports another
app's views. Imports are read with `ast` from every module of every app, functions included."""

import ast
from pathlib import Path

from django.conf import settings

# The whole map, in one place: an app may import the apps listed for it (and itself).
ALLOWED = {
    "vcio": set(),
    "accounts": {"vcio"},
    "clients": {"accounts", "vcio"},
    "roadmaps": {"clients", "accounts", "vcio"},
    "vendors": {"clients", "accounts", "vcio"},
    "budgets": {"roadmaps", "vendors", "clients", "accounts", "vcio"},
    "compliance": {"roadmaps", "clients", "accounts", "vcio"},
    "qbr": {"budgets", "compliance", "roadmaps", "vendors", "clients", "accounts", "vcio"},
    "portal": {"qbr", "budgets", "compliance", "roadmaps", "vendors", "clients", "accounts", "vcio"},
}
BASE = Path(settings.BASE_DIR)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def app_modules(app: str):
    folder = BASE / app
    for path in sorted(folder.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def violations(app: str, allowed: dict[str, set[str]]) -> list[str]:
    found = []
    for path in app_modules(app):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            where = f"{path.relative_to(BASE)}:{line} imports {module}"
            if top in allowed and top != app and top not in allowed[app]:
                found.append(
                    f"{where} (an upward or sideways import: {app} may import {sorted(allowed[app])})"
                )
            if top in allowed and top != app and module.split(".")[1:2] == ["views"]:
                found.append(f"{where} (no app imports another app's views)")
    return found


def test_every_app_of_ours_is_in_the_map():
    ours = {p.parent.name for p in BASE.glob("*/apps.py")}
    assert ours <= set(ALLOWED), f"add {sorted(ours - set(ALLOWED))} to ALLOWED"


def test_apps_import_only_downward():
    problems = [v for app in ALLOWED if (BASE / app).is_dir() for v in violations(app, ALLOWED)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The guard itself: an accounts module importing clients is reported."""
    app = tmp_path / "accounts"
    app.mkdir()
    (app / "bad.py").write_text("def f():\n    from clients.models import Client\n    return Client\n")
    (app / "views_user.py").write_text("from roadmaps.views import TimelineView\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["BASE"]), "BASE", tmp_path)
    found = violations("accounts", ALLOWED)
    assert any("accounts/bad.py:2 imports clients.models" in v for v in found)
    assert any("no app imports another app's views" in v for v in found)


def test_the_check_catches_clients_importing_roadmaps(tmp_path, monkeypatch):
    """Issue 7, finding 6: `clients` imported roadmaps' modules (views included)."""
    app = tmp_path / "clients"
    app.mkdir()
    (app / "selectors.py").write_text("import roadmaps.selectors\nfrom roadmaps import services\n")
    (app / "views.py").write_text("from roadmaps.views import TimelineView\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["BASE"]), "BASE", tmp_path)

    found = violations("clients", ALLOWED)

    assert any("clients/selectors.py:1 imports roadmaps.selectors" in v for v in found)
    assert any("clients/selectors.py:2 imports roadmaps" in v for v in found)
    assert any("clients/views.py:1 imports roadmaps.views" in v and "upward or sideways" in v for v in found)
