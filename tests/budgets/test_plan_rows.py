"""The plan table's rows, rendered in Python (`budgets.templatetags.budget_tags`): what a reader sees
of each line — its name escaped, its source, "Changed by hand", "Dropped", the vendor — the category
subtotal rows, the edit button only for those who may edit, and the same row for the edit form's
Cancel as in the table."""

import re

import pytest

from budgets.models import BudgetLine, LineSource, SourcePart
from vendors.models import Vendor

from .conftest import HTMX, url

pytestmark = pytest.mark.django_db

NAME = 'Backup <script>alert("x")</script> & restore'


@pytest.fixture
def marked(budget, practice_a):
    """The built budget's lines, each given one of the marks a row shows."""
    lines = list(budget.lines.order_by("name"))
    vendor = Vendor.objects.create(practice=practice_a, name="Datto <EU>")
    first, second, third = lines[0], lines[1], lines[2]
    BudgetLine.objects.filter(pk=first.pk).update(name=NAME, vendor=vendor, adjusted=True)
    BudgetLine.objects.filter(pk=second.pk).update(dropped=True)
    BudgetLine.objects.filter(pk=third.pk).update(
        source=LineSource.CONTRACT, source_part=SourcePart.NONE, initiative=None
    )
    return budget, first, second, third


def row_of(html: str, line) -> str:
    found = re.search(rf'<tr id="line-{line.pk}".*?</tr>', html, re.S)
    assert found, f"no row for {line.pk}"
    return found.group(0)


def test_each_row_shows_its_line_escaped_with_its_marks(as_consultant_a, july, marked):
    budget, first, second, third = marked
    html = as_consultant_a.get(url("plan", july.pk, budget.pk)).content.decode()

    row = row_of(html, first)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; restore" in row
    assert "<script>alert" not in html
    assert '<span dir="auto">Datto &lt;EU&gt;</span> · ' in row
    assert "Changed by hand" in row and "Dropped" not in row
    assert 'aria-label="Edit Backup &lt;script&gt;' in row
    assert f'hx-target="#line-{first.pk}"' in row

    dropped = row_of(html, second)
    assert (
        'class="line-row is-dropped"' in dropped
        and '<span class="badge dropped-badge">Dropped</span>' in dropped
    )
    assert '<span class="badge source-badge source-contract">Contract</span>' in row_of(html, third)
    # the built lines name the roadmap; a recurring part says it is the running cost
    roadmap_rows = [row_of(html, line) for line in budget.lines.filter(source="initiative")]
    assert roadmap_rows and all("source-initiative" in r for r in roadmap_rows)
    assert any("Roadmap · running cost" in r for r in roadmap_rows)
    # twelve month cells and the total in each line row
    assert row.count('<td class="num m">') == 12 and '<td class="num fw-semibold">' in row
    # each category: a subtotal row with its line count, before its lines
    categories = re.findall(r'<tr class="cat-row" id="cat-(\w+)">.*?· (\d+)</span>', html)
    assert sum(int(n) for _, n in categories) == budget.lines.count()


def test_a_viewer_sees_no_edit_button(as_viewer_a, july, marked):
    budget, first, *_ = marked
    html = as_viewer_a.get(url("plan", july.pk, budget.pk)).content.decode()
    row = row_of(html, first)
    assert "Changed by hand" in row
    assert 'aria-label="Edit' not in html and 'class="text-end"' not in row


def test_cancel_returns_the_same_row_as_the_table(as_consultant_a, july, marked):
    budget, first, *_ = marked
    html = as_consultant_a.get(url("plan", july.pk, budget.pk)).content.decode()
    cancel = as_consultant_a.get(url("line_row", july.pk, budget.pk, first.pk), **HTMX)
    assert cancel.status_code == 200
    assert cancel.content.decode().strip() == row_of(html, first)
