"""Pieces of a table row's action menu, for rows rendered in Python (`clients.list_html`,
`roadmaps.goals_html` and the others): the same markup as the templates' row menus."""

import html

from django.utils import formats
from django.utils.html import conditional_escape

from vcio.templatetags.vcio_tags import row_menu_button


def escape(value) -> str:
    """Django's `escape()` for markup written in Python: the same replacements (`html.escape` of the
    value as text), without its wrapper for lazy arguments, which costs more than the escaping (a
    page escapes a few hundred values). A plain str: the finished markup is marked safe once."""
    return html.escape(str(value))


def number_html(value) -> str:
    """`{{ value }}` of a number: localized as the template engine does, escaped."""
    return conditional_escape(formats.localize(value))


def menu_cell(label, *items: str) -> str:
    """The row's last cell: the kebab button named for `label` and a menu of `items` (already HTML)."""
    return (
        f'<td class="text-end"><div class="dropdown">{row_menu_button(label)}'
        f'<ul class="dropdown-menu dropdown-menu-end">{"".join(items)}</ul></div></td>'
    )


def menu_link(url: str, text: str) -> str:
    """A menu item that opens `url`; `text` is HTML."""
    return f'<li><a class="dropdown-item" href="{escape(url)}">{text}</a></li>'


MENU_DIVIDER = '<li><hr class="dropdown-divider"></li>'


def menu_post(action: str, csrf: str, confirm: str, title: str, button: str, *, danger: bool = True) -> str:
    """A menu item that POSTs to `action` once the confirmation dialog (`confirm`, already escaped;
    `title`) is accepted: a delete, in red, unless `danger` is False."""
    css = "dropdown-item text-danger" if danger else "dropdown-item"
    return (
        f'<li><form method="post" action="{escape(action)}" data-confirm="{confirm}" '
        f'data-confirm-title="{escape(title)}" data-confirm-button="{escape(button)}">'
        f'{csrf}<button class="{css}" type="submit">{escape(button)}</button></form></li>'
    )
