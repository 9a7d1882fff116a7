"""The Goals list's rows, rendered in Python.

A page shows a client's goals, each with its description, fiscal year, status badge, progress bar
and — for a role that edits — an action menu with its delete form; through Django's template engine
the rows (an include and a `{% widthratio %}` each) were most of the page's rendering. This writes the
same markup (`tests/roadmaps/test_goals_html.py` holds it equal to the template loop it replaced, the
`roadmaps/_goal_progress.html` include inlined), every value escaped as the template's autoescaping
would.
"""

from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, menu_cell, menu_link, menu_post, number_html
from vcio.templatetags.vcio_tags import clip, csrf_input


def _width(done, total) -> str:
    """`{% if total %}{% widthratio done total 100 %}{% else %}0{% endif %}` (Django rounds half to even)."""
    if not total:
        return "0"
    return str(round(float(done) / float(total) * 100))


def _progress(g) -> str:
    """What `roadmaps/_goal_progress.html` writes for the goal."""
    done, total = number_html(g.initiative_done), number_html(g.initiative_total)
    return (
        '<div class="d-flex align-items-center gap-2">'
        '<div class="progress flex-grow-1 goal-progress" role="progressbar" '
        f'aria-label="{escape(g.title)}: {done} of {total} initiatives done" aria-valuenow="{done}" '
        f'aria-valuemin="0" aria-valuemax="{total}">'
        '<svg class="progress-svg" width="100%" height="100%" aria-hidden="true" focusable="false">'
        '<rect class="progress-fill" x="0" y="0" height="100%" '
        f'width="{_width(g.initiative_done, g.initiative_total)}%"/></svg></div>'
        f'<span class="small text-nowrap">{done} / {total}</span></div>'
    )


def _actions(g, slug: str, client_pk, csrf: str) -> str:
    return menu_cell(
        g.title,
        menu_link(row_reverse("roadmaps:goal_edit", slug, client_pk, g.pk), "Edit"),
        menu_link(f"{row_reverse('roadmaps:list', slug, client_pk)}?goal={g.pk}", "Its initiatives"),
        menu_post(
            row_reverse("roadmaps:goal_delete", slug, client_pk, g.pk),
            csrf,
            f"The goal “{escape(g.title)}” will be deleted. Its initiatives stay on the roadmap but no longer "
            "serve it.",
            "Delete goal?",
            "Delete",
        ),
    )


def goal_rows_html(rows, *, practice, client, can_edit: bool, csrf_token: str) -> SafeString:
    """The `<tr>` of each goal of `rows` (as `selectors.goal_list` reads them: with
    `.initiative_done` and `.initiative_total`)."""
    slug, client_pk = practice.slug, client.pk
    csrf = csrf_input(csrf_token)
    out = []
    for g in rows:
        description = (
            f'<div class="small text-secondary">{escape(clip(g.description, 140))}</div>'
            if g.description
            else ""
        )
        out.append(
            "<tr>"
            f'<td><a class="fw-semibold" href="{escape(row_reverse("roadmaps:goal_detail", slug, client_pk, g.pk))}">'
            f"{escape(g.title)}</a>{description}</td>"
            f"<td>FY{number_html(g.fiscal_year)}</td>"
            f'<td><span class="badge goal-status-{escape(g.status)}">{escape(g.get_status_display())}</span></td>'
            f'<td class="goal-progress-cell">{_progress(g)}</td>'
            + (_actions(g, slug, client_pk, csrf) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
