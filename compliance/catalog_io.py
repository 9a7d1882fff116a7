"""The catalog formats a practice imports and exports its standards in (no database here).

- **JSON**: the catalog shape of `compliance/catalogs/` (see its README): `slug`, `name`, `version`,
  `publisher`, `source`, `license` and `requirements` — each with `ref`, `title`, `text`, `parent`,
  `level`, `order`, and for standards `weight` (`high`, `medium`, `low`).
- **CSV**: one row per item, columns `ref,parent,title,text,weight,level,order,kind,required` (only
  `ref` and `title` are required; `level` follows from `parent` and `order` from the row order when
  left out; `required` is yes/no). The framework's name and version come from the import form.

Both are validated whole by `compliance.catalog.validate_catalog` before anything is written.
"""

import csv
import io
import re

from .catalog import validate_catalog

CSV_COLUMNS = ("ref", "parent", "title", "text", "weight", "level", "order", "kind", "required")
REQUIRED_COLUMNS = ("ref", "title")
MAX_ROWS = 5_000
TRUE = {"yes", "y", "true", "1", "required", "r"}
FALSE = {"no", "n", "false", "0", "addressable", "a"}
ITEM_RE = re.compile(r"^requirements\[(\d+)\]")


def node_item(node) -> dict:
    """A tree node (compliance.scores.Node) as a catalog item."""
    item = {
        "ref": node.ref,
        "title": node.title,
        "text": node.text,
        "parent": None,
        "level": node.level,
        "order": node.order,
    }
    if node.kind:
        item["kind"] = node.kind
    if node.required is not None:
        item["required"] = node.required
    if node.weight:
        item["weight"] = node.weight
    return item


def catalog_of(*, meta: dict, nodes: list) -> dict:
    """A catalog dict from framework metadata and its tree nodes (parents as refs, in order)."""
    by_id = {n.id: n for n in nodes}
    items = []
    for node in sorted(nodes, key=lambda n: n.order):
        item = node_item(node)
        parent = by_id.get(node.parent_id)
        item["parent"] = parent.ref if parent else None
        items.append(item)
    return {**meta, "requirements": items}


def csv_rows(catalog: dict) -> list[list]:
    rows = []
    for item in catalog["requirements"]:
        required = item.get("required")
        rows.append(
            [
                item["ref"],
                item.get("parent") or "",
                item["title"],
                item.get("text", ""),
                item.get("weight", ""),
                item["level"],
                item["order"],
                item.get("kind", ""),
                "" if required is None else ("yes" if required else "no"),
            ]
        )
    return rows


def _int(value: str):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value  # left for the validator to name ("level" must be an integer)


def catalog_from_csv(text: str, *, meta: dict) -> tuple[dict | None, list[str]]:
    """(catalog, []) from CSV text, or (None, problems) — every problem, by row number (the header
    is row 1)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return None, [f"the first row must name the columns; missing: {', '.join(missing)}"]
    reader.fieldnames = header
    items, problems, levels = [], [], {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return None, [f"at most {MAX_ROWS:,} rows"]
        if None in row:
            problems.append(f"row {number}: more cells than columns")
            continue
        row = {k: (v or "").strip() if k != "text" else (v or "") for k, v in row.items()}
        if not any(row.values()):
            continue  # a blank line
        parent = row.get("parent") or None
        level = _int(row.get("level", ""))
        if level is None:
            level = levels.get(parent, 0) + 1 if parent else 0  # an unknown parent: the validator says so
        item = {
            "ref": row.get("ref", ""),
            "title": row.get("title", ""),
            "text": row.get("text", "").strip(),
            "parent": parent,
            "level": level,
            "order": _int(row.get("order", "")) or len(items) + 1,
        }
        if row.get("weight"):
            item["weight"] = row["weight"].lower()
        if row.get("kind"):
            item["kind"] = row["kind"]
        if row.get("required"):
            flag = row["required"].lower()
            if flag in TRUE:
                item["required"] = True
            elif flag in FALSE:
                item["required"] = False
            else:
                problems.append(f'row {number}: "required" must be yes or no, not "{row["required"]}"')
        if isinstance(level, int) and item["ref"]:
            levels[item["ref"]] = level
        items.append(item)
    if not items and not problems:
        problems.append("the file has no rows under its header")
    if problems:
        return None, problems
    catalog = {**meta, "requirements": items}
    found = validate_catalog(catalog)
    if found:
        return None, [csv_problem(p) for p in found]
    return catalog, []


def csv_problem(problem: str) -> str:
    """ "requirements[3] (ref "X"): …" -> "row 5 (ref "X"): …" (item 0 is on row 2)."""
    return ITEM_RE.sub(lambda m: f"row {int(m.group(1)) + 2}", problem)
