"""Framework catalogs: load a catalog JSON file and check its shape, without models.

A catalog is one JSON object (see compliance/catalogs/README.md):

    {"slug": ..., "name": ..., "version": ..., "publisher": ..., "source": ..., "license": ...,
     "requirements": [{"ref": ..., "title": ..., "text": ..., "parent": ..., "level": ..., "order": ...}]}

`validate_catalog` reports every problem in the whole file rather than stopping at the first one,
so a broken catalog can be fixed in one pass. This module imports only the standard library: the
later `compliance` app (models, import command) builds on it, and it runs without Django.
"""

import json
import re
from collections import Counter
from pathlib import Path

__all__ = [
    "SHIPPED_CATALOGS_DIR",
    "CatalogError",
    "catalog_counts",
    "load_catalog_file",
    "shipped_catalog_paths",
    "validate_catalog",
]

SHIPPED_CATALOGS_DIR = Path(__file__).resolve().parent / "catalogs"

REQUIRED_KEYS = ("slug", "name", "version", "publisher", "source", "license", "requirements")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")
REF_MAX_LENGTH = 60
WEIGHTS = ("high", "medium", "low")


class CatalogError(ValueError):
    """A catalog file that cannot be read or is not a JSON object. The message names the file."""


def shipped_catalog_paths() -> list[Path]:
    """The catalog files shipped with the project, sorted by name."""
    return sorted(SHIPPED_CATALOGS_DIR.glob("*.json"))


def load_catalog_file(path) -> dict:
    """Parse one catalog file. Raises CatalogError naming the file when it cannot be read, is not
    UTF-8 JSON, or is not a JSON object. It does not validate the catalog: see validate_catalog."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: the top level must be a JSON object, not {_json_type(data)}")
    return data


def validate_catalog(data: dict) -> list[str]:
    """Every problem found in the catalog, in file order; an empty list means it is valid."""
    if not isinstance(data, dict):
        return [f"the catalog must be a JSON object, not {_json_type(data)}"]

    problems = []
    for key in REQUIRED_KEYS:
        if key not in data:
            problems.append(f'missing required key "{key}"')
        elif key != "requirements" and not _non_empty_str(data[key]):
            problems.append(f'"{key}" must be a non-empty string')
    slug = data.get("slug")
    if isinstance(slug, str) and slug and not SLUG_RE.match(slug):
        problems.append(f'slug "{slug}" does not match {SLUG_RE.pattern}')

    if "requirements" not in data:
        return problems
    items = data["requirements"]
    if not isinstance(items, list):
        problems.append(f'"requirements" must be a list, not {_json_type(items)}')
        return problems
    if not items:
        problems.append('"requirements" must not be empty')
        return problems

    problems.extend(_validate_items(items))
    return problems


def catalog_counts(data: dict) -> dict[int, int]:
    """How many requirements the catalog has at each level, by level (items without an integer
    level are not counted)."""
    items = data.get("requirements") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return {}
    counts = Counter(item["level"] for item in items if isinstance(item, dict) and _is_int(item.get("level")))
    return dict(sorted(counts.items()))


def _validate_items(items: list) -> list[str]:
    problems = []
    level_by_ref = {}  # refs seen so far (earlier in the file) and their level
    index_by_ref = {}
    index_by_order = {}

    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"requirements[{index}]: must be a JSON object, not {_json_type(item)}")
            continue
        ref = item.get("ref")
        where = f'requirements[{index}] (ref "{ref}")' if _non_empty_str(ref) else f"requirements[{index}]"

        def report(message, where=where):
            problems.append(f"{where}: {message}")

        # ref
        if "ref" not in item:
            report('missing "ref"')
        elif not _non_empty_str(ref):
            report('"ref" must be a non-empty string')
        elif len(ref) > REF_MAX_LENGTH:
            report(f'"ref" is {len(ref)} characters long; at most {REF_MAX_LENGTH} are allowed')
        elif ref in index_by_ref:
            report(f"duplicate ref, already used by requirements[{index_by_ref[ref]}]")

        # title and text
        if "title" not in item:
            report('missing "title"')
        elif not _non_empty_str(item["title"]):
            report('"title" must be a non-empty string')
        if "text" not in item:
            report('missing "text"')
        elif not isinstance(item["text"], str):
            report(f'"text" must be a string, not {_json_type(item["text"])}')

        # level
        level = item.get("level")
        if "level" not in item:
            report('missing "level"')
        elif not _is_int(level) or level < 0:
            report(f'"level" must be an integer >= 0, not {json.dumps(level)}')
            level = None

        # order: each value once, all of 1..n
        order = item.get("order")
        if "order" not in item:
            report('missing "order"')
        elif not _is_int(order):
            report(f'"order" must be an integer, not {json.dumps(order)}')
        elif not 1 <= order <= len(items):
            report(f"order {order} is outside 1..{len(items)}")
        elif order in index_by_order:
            report(f"order {order} is already used by requirements[{index_by_order[order]}]")
        else:
            index_by_order[order] = index

        # parent: null at level 0, else an earlier item exactly one level up
        if "parent" not in item:
            report('missing "parent" (use null at level 0)')
        elif level is not None:
            parent = item["parent"]
            if level == 0:
                if parent is not None:
                    report(f"parent must be null at level 0, not {json.dumps(parent)}")
            elif parent is None:
                report(f"parent is null but level is {level}; only level 0 items have no parent")
            elif not isinstance(parent, str):
                report(f"parent must be a ref (string) or null, not {json.dumps(parent)}")
            elif parent not in level_by_ref:
                report(f'parent "{parent}" does not exist earlier in the file')
            elif level_by_ref[parent] is not None and level_by_ref[parent] != level - 1:
                report(
                    f'parent "{parent}" is at level {level_by_ref[parent]}; '
                    f"a level {level} item needs a parent at level {level - 1}"
                )

        # optional fields
        if "weight" in item and item["weight"] not in WEIGHTS:
            report(f'"weight" must be one of {", ".join(WEIGHTS)}, not {json.dumps(item["weight"])}')
        if "required" in item and not isinstance(item["required"], bool):
            report(f'"required" must be true or false, not {json.dumps(item["required"])}')

        if _non_empty_str(ref) and ref not in index_by_ref:
            index_by_ref[ref] = index
            level_by_ref[ref] = level

    missing = [n for n in range(1, len(items) + 1) if n not in index_by_order]
    if missing:
        shown = ", ".join(str(n) for n in missing[:10]) + (", ..." if len(missing) > 10 else "")
        problems.append(f"requirements: order must run 1..{len(items)}; missing {shown}")
    return problems


def _non_empty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
