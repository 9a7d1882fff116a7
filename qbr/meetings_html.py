"""The Meetings page's rows, rendered in Python.

The practice's Meetings list shows a page of meetings, each a row of six cells, a status badge and an
action menu; through Django's template engine the rows were the largest part of the page's rendering.
This writes the same markup (`tests/qbr/test_meetings_html.py` holds it equal to the template loop it
replaced, the `qbr/_meeting_status.html` include inlined), every value escaped as the template's
autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, menu_cell, menu_link, number_html
from vcio.templatetags.vcio_tags import date


def _meeting_cell(m, url: str) -> str:
    """The meeting's cell: its title linking to it (the kind after it when titled) and where it is held."""
    where = ""
    if m.location:
        if m.is_link:
            place = '<i class="bi bi-camera-video" aria-hidden="true"></i> Video call'
        else:
            place = f'<i class="bi bi-geo-alt" aria-hidden="true"></i> {escape(m.location)}'
        where = f'<div class="small text-secondary text-truncate">{place}</div>'
    kind = f' <span class="small text-secondary">{escape(m.get_kind_display())}</span>' if m.title else ""
    return f'<td class="cell-name"><a class="fw-semibold" href="{url}">{escape(m.display_title)}</a>{kind}{where}</td>'


def meeting_rows_html(rows, *, practice) -> SafeString:
    """The `<tr>` of each meeting of `rows` (as `selectors.practice_meetings` reads them: with
    `.open_items`, `.client` and its `.primary_consultant`): when (in the current time zone), client,
    title, status, consultant, open action items and the row's action menu."""
    slug = practice.slug
    out = []
    for m in rows:
        client_id, pk = m.client_id, m.pk
        meeting_link = row_reverse("qbr:meeting", slug, client_id, pk)
        meeting_url = escape(meeting_link)
        consultant = m.client.primary_consultant
        consultant_name = consultant.display_name if consultant else ""
        out.append(
            "<tr>"
            f'<td class="text-nowrap">{escape(date(template_localtime(m.scheduled_at), "D Y-m-d H:i"))}</td>'
            f'<td class="cell-name"><a href="{escape(row_reverse("qbr:client", slug, client_id))}" dir="auto">'
            f"{escape(m.client.name)}</a></td>"
            + _meeting_cell(m, meeting_url)
            + f'<td><span class="badge meeting-status meeting-status-{escape(m.status)}">'
            f"{escape(m.get_status_display())}</span></td>"
            f'<td class="text-nowrap">{escape(consultant_name or "—")}</td>'
            f'<td class="num">{number_html(m.open_items)}</td>'
            + menu_cell(
                m.display_title,
                menu_link(meeting_link, "Open"),
                menu_link(row_reverse("qbr:meeting_ics", slug, client_id, pk), "Add to calendar (.ics)"),
                menu_link(row_reverse("qbr:report_preview", slug, client_id), "Preview the report"),
            )
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
