"""Reads of the initiative library: each takes the practice explicitly."""

from django.db.models import Q, QuerySet

from accounts.models import Practice
from vcio.history import HistorySource, merged_history
from vcio.listing import apply_sort

from .models import InitiativeTemplate
from .selectors import priority_rank

TEMPLATE_SORTS = {
    "title": "title",
    "category": "category",
    "priority": "priority_rank",
    "one_time": "one_time_cost",
    "monthly": "recurring_monthly_cost",
    "effort": "effort_hours",
    "updated": "updated_at",
}
DEFAULT_TEMPLATE_SORT = "category,priority_rank,title,pk"
ADD_PAGE_LIMIT = 200  # templates offered at once on "Add from library" (search narrows the rest)


def templates_of(*, practice: Practice) -> QuerySet[InitiativeTemplate]:
    """Every template of the practice's library, with `priority_rank` for sorting."""
    return InitiativeTemplate.objects.for_practice(practice).annotate(priority_rank=priority_rank())


def template_list(
    *, practice: Practice, q: str = "", category: str = "", sort: str = ""
) -> tuple[QuerySet[InitiativeTemplate], str]:
    """The library, searched (title, description, tags — every word must match) and filtered by
    category, sorted by a whitelisted key."""
    qs = templates_of(practice=practice)
    for word in (q or "").split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word) | Q(tags__icontains=word))
    if category:
        qs = qs.filter(category=category)
    return apply_sort(qs, sort, TEMPLATE_SORTS, default=DEFAULT_TEMPLATE_SORT)


def template_history(*, template: InitiativeTemplate, limit: int = 50) -> list[dict]:
    """The template's audit history, newest first; two queries."""
    rows = InitiativeTemplate.history.filter(id=template.pk, practice_id=template.practice_id)
    return merged_history([(_TEMPLATE_HISTORY, rows)], limit=limit)


_TEMPLATE_HISTORY = HistorySource("Template", rows=None)
