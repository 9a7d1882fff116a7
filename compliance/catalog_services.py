"""Loading the shipped, global framework catalogs into `Framework` and `Requirement`.

The one writer of the global tables (`manage.py load_frameworks`, and the post-migrate hook that
gives every new database — tests included — the shipped catalogs). A catalog is validated whole by
`compliance.catalog.validate_catalog` (plus the database's field limits) before anything is written;
loading is idempotent: a catalog already loaded as it is in the file changes no row (not even
`updated_at`), and a changed file updates only the rows that differ.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import RestrictedError
from django.utils import timezone

from .catalog import CatalogError, load_catalog_file, shipped_catalog_paths, validate_catalog
from .models import Framework, Requirement, catalog_framework_id, catalog_requirement_id

FRAMEWORK_FIELDS = ("slug", "name", "version", "publisher", "source", "license")
ITEM_KEYS = ("ref", "title", "text", "parent", "level", "order", "kind", "required", "weight")
# Levels whose items are headings, not answered in an assessment (an explicit `"assessable": false`
# or true in the file wins; an item without a kind is a heading when it has items under it).
GROUP_KINDS = frozenset({"function", "category", "family", "section", "group", "domain"})
REQUIREMENT_COLUMNS = (
    "ref",
    "title",
    "text",
    "parent_id",
    "level",
    "order",
    "kind",
    "required",
    "weight",
    "assessable",
    "extra",
)


class CatalogInvalid(Exception):
    """A catalog that cannot be loaded; `problems` says why, every one of them."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems[:5]))


@dataclass
class CatalogLoadResult:
    slug: str
    name: str
    items: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    framework_changed: bool = False
    skipped: bool = False  # the same file was already loaded (nothing compared)

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.updated or self.deleted or self.framework_changed)


@dataclass
class PreparedCatalog:
    framework: dict
    requirements: list[dict] = field(default_factory=list)


def is_assessable(item: dict, has_children: bool) -> bool:
    if isinstance(item.get("assessable"), bool):
        return item["assessable"]
    kind = item.get("kind") or ""
    if kind:
        return kind not in GROUP_KINDS
    return not has_children


def _limits(data: dict) -> list[str]:
    """What `validate_catalog` does not check but the tables need (lengths)."""
    problems = []
    for key, limit in (
        ("name", 300),
        ("short_name", 80),
        ("version", 300),
        ("publisher", 300),
        ("source", 500),
    ):
        value = data.get(key)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f'"{key}" is {len(value)} characters long; at most {limit} are allowed')
    for index, item in enumerate(data.get("requirements") or []):
        if not isinstance(item, dict):
            continue
        for key, limit in (("title", 300), ("kind", 40), ("text", 20_000)):
            value = item.get(key)
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    f'requirements[{index}] (ref "{item.get("ref")}"): "{key}" is {len(value)} characters '
                    f"long; at most {limit} are allowed"
                )
        if "kind" in item and not isinstance(item["kind"], str | type(None)):
            problems.append(f'requirements[{index}] (ref "{item.get("ref")}"): "kind" must be a string')
    return problems


def prepare_catalog(data: dict, source: str = "catalog") -> PreparedCatalog:
    """The rows a valid catalog becomes; raises CatalogInvalid (with every problem) otherwise."""
    problems = validate_catalog(data)
    if not problems:
        problems = _limits(data)
    if problems:
        raise CatalogInvalid(source, problems)
    slug = data["slug"]
    items = data["requirements"]
    parents = {item["parent"] for item in items if item.get("parent")}
    framework = {
        "id": catalog_framework_id(slug),
        **{key: data[key].strip() for key in FRAMEWORK_FIELDS},
        "short_name": data["short_name"].strip() if isinstance(data.get("short_name"), str) else "",
        "extra": {
            k: v for k, v in data.items() if k not in (*FRAMEWORK_FIELDS, "short_name", "requirements")
        },
    }
    rows = []
    for item in items:
        rows.append(
            {
                "id": catalog_requirement_id(slug, item["ref"]),
                "ref": item["ref"],
                "title": item["title"].strip(),
                "text": item["text"],
                "parent_id": catalog_requirement_id(slug, item["parent"]) if item["parent"] else None,
                "level": item["level"],
                "order": item["order"],
                "kind": item.get("kind") or "",
                "required": item.get("required"),
                "weight": item.get("weight") or "",
                "assessable": is_assessable(item, item["ref"] in parents),
                "extra": {k: v for k, v in item.items() if k not in ITEM_KEYS},
            }
        )
    return PreparedCatalog(framework=framework, requirements=rows)


def catalog_load(*, data: dict, content_hash: str = "", source: str = "catalog", using=DEFAULT_DB_ALIAS):
    """Load (or update) one catalog. Validates the whole catalog first; writes in one transaction;
    a catalog already loaded as it is changes nothing. An item that left the file is deleted unless
    a client's answer or initiative link still points at it (then nothing is written: CatalogInvalid)."""
    prepared = prepare_catalog(data, source)
    fw = prepared.framework
    result = CatalogLoadResult(slug=fw["slug"], name=fw["name"], items=len(prepared.requirements))
    now = timezone.now()
    with transaction.atomic(using=using):
        framework = Framework.objects.using(using).filter(slug=fw["slug"]).first()
        if framework is None:
            framework = Framework(**fw, content_hash=content_hash)
            framework.save(using=using, force_insert=True)
            result.framework_changed = True
        else:
            if framework.pk != fw["id"]:
                raise CatalogInvalid(source, [f'a framework with slug "{fw["slug"]}" exists with another id'])
            changed = [
                k for k in (*FRAMEWORK_FIELDS, "short_name", "extra") if getattr(framework, k) != fw[k]
            ]
            if changed:
                for key in changed:
                    setattr(framework, key, fw[key])
                framework.content_hash = content_hash
                framework.save(using=using, update_fields=[*changed, "content_hash", "updated_at"])
                result.framework_changed = True
            elif framework.content_hash != content_hash:  # same content, another file layout: no "change"
                Framework.objects.using(using).filter(pk=framework.pk).update(content_hash=content_hash)

        existing = {
            row["ref"]: row
            for row in Requirement.objects.using(using)
            .filter(framework_id=framework.pk)
            .values("id", *REQUIREMENT_COLUMNS)
        }
        to_create, to_update = [], []
        for row in prepared.requirements:
            old = existing.pop(row["ref"], None)
            if old is None:
                to_create.append(
                    Requirement(framework_id=framework.pk, created_at=now, updated_at=now, **row)
                )
            elif any(old[k] != row[k] for k in REQUIREMENT_COLUMNS):
                to_update.append(Requirement(framework_id=framework.pk, updated_at=now, **row))
        if to_create:
            Requirement.objects.using(using).bulk_create(to_create, batch_size=500)
        if to_update:
            Requirement.objects.using(using).bulk_update(
                to_update, [*REQUIREMENT_COLUMNS, "updated_at"], batch_size=500
            )
        if existing:
            gone = Requirement.objects.using(using).filter(pk__in=[r["id"] for r in existing.values()])
            try:
                gone.delete()
            except RestrictedError:
                refs = ", ".join(sorted(existing)[:10])
                raise CatalogInvalid(
                    source,
                    [f"items no longer in the file are still answered in assessments or linked: {refs}"],
                ) from None
        result.created, result.updated, result.deleted = len(to_create), len(to_update), len(existing)
    return result


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_catalog(path) -> tuple[dict, str]:
    """(catalog data, content hash) of a file; raises CatalogInvalid when it cannot be read or parsed."""
    path = Path(path)
    try:
        data = load_catalog_file(path)
        raw = path.read_bytes()
    except CatalogError as exc:
        raise CatalogInvalid(str(path), [str(exc).removeprefix(f"{path}: ")]) from exc
    return data, file_hash(raw)


def load_catalog_files(
    paths, *, using=DEFAULT_DB_ALIAS, skip_unchanged: bool = False
) -> list[CatalogLoadResult]:
    """Load several catalog files: every file is read and validated before anything is written, and
    all are written in one transaction (a bad file writes nothing at all). With `skip_unchanged`, a
    file whose exact content was loaded last time is not even parsed (the post-migrate hook)."""
    paths = [Path(p) for p in paths]
    known = {}
    if skip_unchanged:
        known = dict(Framework.objects.using(using).values_list("content_hash", "slug"))
    pending, results, problems = [], [], []
    for path in paths:
        if skip_unchanged:
            try:
                digest = file_hash(path.read_bytes())
            except OSError:
                digest = ""
            if digest in known:
                results.append(CatalogLoadResult(slug=known[digest], name="", items=0, skipped=True))
                continue
        try:
            data, digest = read_catalog(path)
            prepare_catalog(data, str(path))
        except CatalogInvalid as exc:
            problems.append(exc)
            continue
        pending.append((path, data, digest))
    slugs = [data.get("slug") for _, data, _ in pending]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        problems.append(CatalogInvalid("files", [f'slug "{s}" is in more than one file' for s in duplicates]))
    if problems:
        raise CatalogLoadFailed(problems)
    try:
        with transaction.atomic(using=using):
            for path, data, digest in pending:
                results.append(catalog_load(data=data, content_hash=digest, source=str(path), using=using))
    except CatalogInvalid as exc:  # found while writing (e.g. an answered item left the file): rolled back
        raise CatalogLoadFailed([exc]) from None
    return results


class CatalogLoadFailed(Exception):
    """One or more files could not be loaded; nothing was written."""

    def __init__(self, errors: list[CatalogInvalid]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def ensure_shipped_catalogs(*, using=DEFAULT_DB_ALIAS) -> list[CatalogLoadResult]:
    """Give a database the shipped catalogs (the post-migrate hook): a file loaded as it is costs one
    query and no parsing."""
    if Framework._meta.db_table not in connections[using].introspection.table_names():
        return []
    return load_catalog_files(shipped_catalog_paths(), using=using, skip_unchanged=True)
