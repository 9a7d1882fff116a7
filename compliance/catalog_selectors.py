"""Reads of the frameworks: the shipped catalogs and the practice's own (its standards library),
their items as trees (`nodes_by_framework`, `framework_tree`) at three levels of detail, and what a
client may adopt. `compliance.selectors` reads assessments and answers over these trees.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.text import slugify

from clients.models import Client
from vcio.models import scoped_object_or_404

from .models import Adoption, Framework, Requirement, Standard, StandardFramework, weight_points
from .scores import Node, build_tree

# How much of each item a read loads: the structure and weights (scores), plus the labels (trees,
# charts), plus the text (the framework page, exports).
LIGHT_FIELDS = ("id", "parent_id", "level", "order", "weight")
LABEL_FIELDS = (*LIGHT_FIELDS, "ref", "title", "kind", "required")
FULL_FIELDS = (*LABEL_FIELDS, "text")
FIELD_SETS = {"light": LIGHT_FIELDS, "labels": LABEL_FIELDS, "full": FULL_FIELDS}


# --- frameworks (catalogs and the practice's own) --------------------------------------------------


def catalog_frameworks() -> QuerySet[Framework]:
    """The shipped catalogs (global), with how many items each has."""
    return Framework.objects.annotate(
        item_count=Count("requirements"),
        assessable_count=Count("requirements", filter=Q(requirements__assessable=True)),
    ).order_by("name")


def standard_frameworks(*, practice) -> QuerySet[StandardFramework]:
    """The practice's own frameworks, with their item count and how many clients adopted each."""
    items = Standard.objects.for_practice(practice).filter(framework=OuterRef("pk"))
    adoptions = Adoption.objects.for_practice(practice).filter(standard_framework=OuterRef("pk"))
    return (
        StandardFramework.objects.for_practice(practice)
        .annotate(
            item_count=_count(items, "framework"), adoption_count=_count(adoptions, "standard_framework")
        )
        .order_by("name", "pk")
    )


def _count(queryset, group_by: str):
    """A correlated COUNT subquery (0 when there is none)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unique_standard_slug(*, practice, name: str, exclude=None) -> str:
    """A slug for a practice framework named `name`, unused in the practice ("backups", "backups-2")."""
    base = slugify(name)[:50].strip("-") or "standards"
    existing = set(
        StandardFramework.objects.for_practice(practice)
        .exclude(pk=exclude)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def framework_for_practice(*, practice, pk):
    """A framework the practice may see: a shipped catalog, or one of its own (else 404)."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise Http404("No such framework.") from None
    framework = Framework.objects.filter(pk=pk).first()
    if framework is not None:
        return framework
    return scoped_object_or_404(StandardFramework, practice=practice, pk=pk)


def framework_meta(*, practice, framework) -> dict:
    """The catalog header of a framework for export (a shipped catalog keeps every field of its file)."""
    if framework.is_catalog:
        return {
            "slug": framework.slug,
            "name": framework.name,
            **({"short_name": framework.short_name} if framework.short_name else {}),
            "version": framework.version,
            "publisher": framework.publisher,
            "source": framework.source,
            "license": framework.license,
            **framework.extra,
        }
    meta = {
        "slug": framework.slug,
        "name": framework.name,
        "version": framework.version or "1",
        "publisher": practice.name,
        "source": f"vcio standards library of {practice.name}",
        "license": f"Standards of {practice.name}",
    }
    if framework.description:
        meta["description"] = framework.description
    return meta


def adoptable_frameworks(*, practice, client: Client | None = None) -> tuple[list, list]:
    """(catalogs, the practice's frameworks) a client may adopt — those it has not adopted yet."""
    catalogs = list(Framework.objects.order_by("name"))
    own = list(StandardFramework.objects.for_practice(practice).order_by("name", "pk"))
    if client is not None:
        adopted = Adoption.objects.for_client(client).values_list("framework_id", "standard_framework_id")
        taken = {fid for pair in adopted for fid in pair if fid}
        catalogs = [f for f in catalogs if f.pk not in taken]
        own = [f for f in own if f.pk not in taken]
    return catalogs, own


def _node(row: dict, catalog: bool) -> Node:
    return Node(
        id=row["id"],
        ref=row.get("ref", ""),
        title=row.get("title", ""),
        text=row.get("text", ""),
        level=row["level"],
        order=row["order"],
        parent_id=row["parent_id"],
        kind=row.get("kind", ""),
        required=row.get("required"),
        weight=row["weight"] or "",
        points=weight_points(row["weight"]),
        assessable=row["assessable"] if catalog else True,
    )


def _finish(nodes: list[Node], catalog: bool) -> list[Node]:
    """Link the tree; a practice standard with standards under it is a heading, not answered."""
    roots = build_tree(nodes)
    if not catalog:
        for node in nodes:
            node.assessable = not node.children
    return roots


def nodes_by_framework(*, practice, catalog_ids=(), standard_ids=(), detail: str = "light") -> dict:
    """framework id -> (roots, nodes) for several frameworks at once: one query per kind."""
    fields = FIELD_SETS[detail]
    found: dict = defaultdict(list)
    if catalog_ids:
        for row in Requirement.objects.filter(framework_id__in=catalog_ids).values(
            *fields, "assessable", "framework_id"
        ):
            found[("c", row["framework_id"])].append(_node(row, True))
    if standard_ids:
        for row in (
            Standard.objects.for_practice(practice)
            .filter(framework_id__in=standard_ids)
            .order_by("order")  # not the model's (framework name, …): no join to the frameworks
            .values(*fields, "framework_id")
        ):
            found[("s", row["framework_id"])].append(_node(row, False))
    result = {}
    for fid in catalog_ids:
        nodes = found.get(("c", fid), [])
        result[fid] = (_finish(nodes, True), nodes)
    for fid in standard_ids:
        nodes = found.get(("s", fid), [])
        result[fid] = (_finish(nodes, False), nodes)
    return result


def framework_tree(*, practice, framework, detail: str = "full") -> tuple[list[Node], list[Node]]:
    """(roots, nodes) of one framework (one query); `detail`: "light", "labels" or "full"."""
    if framework.is_catalog:
        return nodes_by_framework(practice=practice, catalog_ids=[framework.pk], detail=detail)[framework.pk]
    return nodes_by_framework(practice=practice, standard_ids=[framework.pk], detail=detail)[framework.pk]


def framework_rows(roots: list[Node]) -> list[dict]:
    """The tree as rows for a template: an "open" row per heading (then, when the heading is answered
    itself, an "item" row for it), an "item" row per item; `closes` after a row is how many headings
    end there (rendered as nested <details>)."""
    rows: list[dict] = []

    def visit(node: Node, depth: int) -> None:
        if node.children:
            rows.append({"kind": "open", "node": node, "depth": depth, "closes": 0})
            if node.assessable:
                rows.append({"kind": "item", "node": node, "depth": depth + 1, "closes": 0, "self": True})
            for child in node.children:
                visit(child, depth + 1)
            rows[-1]["closes"] += 1
        else:
            rows.append({"kind": "item", "node": node, "depth": depth, "closes": 0})

    for root in roots:
        visit(root, 0)
    for row in rows:
        row["closes"] = range(row["closes"])
    return rows
