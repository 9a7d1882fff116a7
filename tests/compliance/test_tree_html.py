"""The assessment tree rendered in Python (`compliance.tree_html`) is the markup of the template
loop it replaced, value for value, escaping included."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import timezone

from compliance.scores import Node
from compliance.tree_html import assessment_tree_html
from tests.markup import normalised_html

# The template loop `templates/compliance/assessment.html` had before `assessment_tree_html`.
REFERENCE = """{% load vcio_tags %}
  {% for row in tree.rows %}{% with node=row.node %}
    {% if row.kind == "open" %}
    <details class="depth-{{ row.depth }}" open>
      <summary><span class="tree-group-title">{% if node.ref != node.title %}{{ node.ref }} {% endif %}{{ node.title }}</span>
        <span class="tree-group-score" title="{{ row.score.assessed }} of {{ row.score.items }} assessed">{% if row.score.percent is not None %}{{ row.score.percent }}%{% else %}—{% endif %}</span></summary>
      <div class="tree-children">
    {% else %}
      <div class="tree-item depth-{{ row.depth }}{% if row.self %} is-self{% endif %}{% if row.overdue %} is-overdue{% endif %}" data-ref="{{ node.ref }}">
        {% if row.selectable %}<input class="form-check-input" type="checkbox" name="ids" value="{{ row.response.pk }}" id="r-{{ row.response.pk }}" aria-label="Select {{ node.ref }}">{% else %}<span></span>{% endif %}
        <div class="min-w-0">
          {% if row.url %}<a class="item-title" href="{{ row.url }}"><span class="ref">{{ node.ref }}</span>{% if row.self %}{{ node.kind|capfirst|default:"Item" }} itself: {% endif %}{{ node.title|clip:220 }}</a>{% else %}<span class="item-title"><span class="ref">{{ node.ref }}</span>{{ node.title|clip:220 }}</span>{% endif %}
          <div class="meta">
            {% if node.required is True %}<span class="badge text-bg-light border">Required</span>{% elif node.required is False %}<span class="badge text-bg-light border">Addressable</span>{% endif %}
            {% if node.weight %}<span class="badge weight-badge weight-{{ node.weight }}">{{ node.weight|capfirst }}</span>{% endif %}
            {% if row.response.owner %}<span><i class="bi bi-person" aria-hidden="true"></i> {{ row.response.owner.display_name }}</span>{% endif %}
            {% if row.response.due_date %}<span><i class="bi bi-calendar-event" aria-hidden="true"></i> {{ row.response.due_date|date:"Y-m-d" }}</span>{% endif %}
            {% if row.overdue %}<span class="badge overdue-badge">Overdue</span>{% endif %}
            {% if row.response.evidence_count or row.response.notes %}<span><i class="bi bi-paperclip" aria-hidden="true"></i> evidence{% if row.response.evidence_count %} ({{ row.response.evidence_count }} link{{ row.response.evidence_count|pluralize }}){% endif %}</span>{% endif %}
            {% if row.response.reviewed_at %}<span title="Reviewed {{ row.response.reviewed_at|date:'Y-m-d' }}"><i class="bi bi-patch-check" aria-hidden="true"></i> reviewed{% if row.response.reviewed_by %} by {{ row.response.reviewed_by.display_name }}{% endif %}</span>{% endif %}
            {% for i in row.initiatives %}<a class="initiative-chip" href="{{ roadmap_base }}{{ i.pk }}/"><i class="bi bi-signpost-split" aria-hidden="true"></i> {{ i.title|clip:48 }}</a>{% endfor %}
          </div>
        </div>
        <div class="status-col"><span class="badge compliance-chip chip-{{ row.status }}">{{ row.status_label }}</span></div>
      </div>
    {% endif %}
    {% for _ in row.closes %}</div></details>{% endfor %}
  {% endwith %}{% endfor %}
"""


def user(name):
    return SimpleNamespace(display_name=name)


def response(pk, **kwargs):
    values = {
        "owner": None,
        "due_date": None,
        "notes": "",
        "evidence_count": 0,
        "reviewed_at": None,
        "reviewed_by": None,
    }
    return SimpleNamespace(pk=pk, **{**values, **kwargs})


def node(ref, title, **kwargs):
    return Node(id=ref, ref=ref, title=title, text="", level=0, order=0, parent_id=None, **kwargs)


def score(percent, assessed, items):
    return SimpleNamespace(percent=percent, assessed=assessed, items=items)


def item(n, status="met", label="Met", closes=0, **kwargs):
    return {
        "kind": "item",
        "node": n,
        "depth": kwargs.pop("depth", 1),
        "closes": range(closes),
        "status": status,
        "status_label": label,
        "initiatives": [],
        **kwargs,
    }


def rows():
    long_title = "Protect <the> data & " + "x" * 300
    return [
        {
            "kind": "open",
            "node": node("GV", "Govern"),
            "depth": 0,
            "closes": range(0),
            "score": score(Decimal("66.7"), 2, 3),
        },
        {
            "kind": "open",
            "node": node("Access", "Access"),
            "depth": 1,
            "closes": range(0),
            "score": score(None, 0, 4),
        },
        item(
            node("GV.1", "Heading answered itself", kind="category"),
            self=True,
            depth=2,
            response=response("r0"),
            selectable=True,
            url="/a/r0/?next=/x/%3Fa%3D1&b",
        ),
        item(node("GV.2", "Heading, no kind"), self=True, depth=2, response=response("r00"), url="/a/r00/"),
        item(
            node("GV.3", long_title, required=True, weight="high"),
            status="gap",
            label="Gap",
            response=response(
                "r1", owner=user("Ann <O'Neil>"), due_date=date(2026, 1, 2), evidence_count=1, notes=""
            ),
            overdue=True,
            selectable=True,
            url="/a/r1/",
            initiatives=[
                SimpleNamespace(pk="i1", title="Roll out MFA & SSO " + "y" * 60),
                SimpleNamespace(pk="i2", title="Short"),
            ],
        ),
        item(
            node("GV.4", "Addressable", required=False, weight="low"),
            response=response(
                "r2",
                evidence_count=3,
                reviewed_at=datetime(2026, 3, 1, 3, 30, tzinfo=UTC),
                reviewed_by=user("Rex"),
            ),
            url="/a/r2/",
        ),
        item(
            node("GV.5", "Notes only"),
            response=response("r3", notes="see the wiki", reviewed_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC)),
            url="/a/r3/",
            closes=1,
        ),
        item(
            node("GV.6", "Unanswered"),
            status="not_assessed",
            label="Not assessed",
            response=None,
            selectable=False,
            url="",
            closes=1,
            depth=0,
        ),
        {
            "kind": "open",
            "node": node("ID", "Identify & <b>"),
            "depth": 0,
            "closes": range(0),
            "score": score(Decimal("100"), 1, 1),
        },
        item(node("ID.1", "Last", weight="medium"), response=response("r4"), url="/a/r4/", closes=2),
    ]


def test_the_tree_is_the_templates_markup():
    base = "/p/acme/clients/c1/roadmap/"
    with timezone.override("America/Los_Angeles"):  # a review at 03:30 UTC is the day before there
        expected = Template(REFERENCE).render(Context({"tree": {"rows": rows()}, "roadmap_base": base}))
        got = assessment_tree_html(rows(), roadmap_base=base)
    assert normalised_html(got) == normalised_html(expected)
    assert "2026-02-28" in got and "&lt;the&gt; data &amp;" in got and "Ann &lt;O&#x27;Neil&gt;" in got


def test_an_empty_tree_is_empty():
    assert assessment_tree_html([], roadmap_base="/r/") == ""
