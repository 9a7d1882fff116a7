"""Template helpers shared by every app: money, sortable headers, query-string edits, row links, and
a faster `date` filter for the formats list pages repeat on every row."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template import defaultfilters
from django.template.defaultfilters import stringfilter
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from vcio.row_urls import row_reverse

register = template.Library()

CURRENCY_SYMBOLS = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "INR": "₹",
    "ZAR": "R ",
}
ZERO_DECIMAL = {"JPY", "KRW", "ISK", "CLP", "VND"}


def format_money(value, currency: str = "USD") -> str:
    """`1234.5, "USD"` -> `$1,234.50`; negative amounts get a leading minus. Decimal only, never float."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = Decimal("1") if currency in ZERO_DECIMAL else Decimal("0.01")
    amount = amount.quantize(places, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.{0 if currency in ZERO_DECIMAL else 2}f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


@register.filter
@stringfilter
def clip(value: str, length) -> str:
    """`truncatechars` for a table of hundreds of rows: at most `length` characters, the last an
    ellipsis when cut. Django's filter normalises the text and walks it character by character (an
    assessment's 300 titles spent about 8 ms in it)."""
    try:
        length = int(length)
    except (TypeError, ValueError):
        return value
    if length <= 0:
        return ""
    if len(value) <= length:
        return value
    return value[: length - 1] + "…"


@register.filter
def money(value, currency="USD"):
    return format_money(value, currency or "USD")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (and `page` reset unless given)."""
    params = context["request"].GET.copy()
    if "page" not in kwargs:
        params.pop("page", None)
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context, page, number):
    """The current query string with `page`'s parameter (`page.param`, default "page") set to `number`."""
    params = context["request"].GET.copy()
    params[getattr(page, "param", "page")] = number
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def sort_header(context, field, label, align=""):
    """A column header link that toggles ascending/descending sort on `field`, with aria-sort."""
    current = context["request"].GET.get("sort", "")
    if current == field:
        new, arrow, aria = f"-{field}", " ▲", "ascending"
    elif current == f"-{field}":
        new, arrow, aria = field, " ▼", "descending"
    else:
        new, arrow, aria = field, "", "none"
    url = query_replace(context, sort=new)
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort-link" href="{}">{}{}</a></th>',
        align,
        aria,
        url,
        label,
        arrow,
    )


@register.filter
def widget(bound_field):
    """Render a field's widget with error state and help/error ids for screen readers."""
    attrs = {}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.id_for_label}_help")
    if bound_field.errors:
        attrs["class"] = (bound_field.field.widget.attrs.get("class", "") + " is-invalid").strip()
        attrs["aria-invalid"] = "true"
        described.append(f"{bound_field.id_for_label}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def options(choices, selected=None):
    """`{{ role_choices|options:m.role }}`: the `<option>`s of `(value, label)` pairs, `selected` marked —
    for a select repeated on every row (a template loop costs several times as much)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == str(selected) else "", label)
            for value, label in choices
        ),
    )


# --- dates -----------------------------------------------------------------------------------------

# The product is English-only (LANGUAGE_CODE "en-us", no LocaleMiddleware): month names as Django's
# `M` gives them in English (tests/vcio/test_date_filter.py compares every format with Django's).
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DATE_FORMATS = {  # format -> (the types it applies to, how it is written)
    "j M Y": ((datetime.date, datetime.datetime), lambda d: f"{d.day} {_MONTHS[d.month]} {d.year:04d}"),
    "Y-m-d": ((datetime.date, datetime.datetime), lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    "Y-m-d H:i": (
        (datetime.datetime,),
        lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}",
    ),
    "D Y-m-d H:i": (  # the Meetings list
        (datetime.datetime,),
        lambda d: (
            f"{_WEEKDAYS[d.weekday()]} {d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"
        ),
    ),
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter (it replaces the built-in where this library is loaded), with the
    formats list pages write on every row (`_DATE_FORMATS`) written directly: Django's goes through its format
    machinery and translation lookups for each value, about 15 µs — over a millisecond of a 50-row
    page. Other formats and values are Django's own (aware date-times arrive in local time either way)."""
    fast = _DATE_FORMATS.get(arg)
    if fast is not None and type(value) in fast[0]:
        return fast[1](value)
    return defaultfilters.date(value, arg)


# --- row links --------------------------------------------------------------------------------------


@register.simple_tag
def row_url(name, *args):
    """`{% row_url 'clients:overview' practice.slug c.pk %}`: like `{% url %}`, cheaper in a loop."""
    return row_reverse(name, *args)


def csrf_input(token: str) -> str:
    """What `{% csrf_token %}` writes, for rows rendered in Python: the hidden input, or nothing
    without a token."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@register.simple_tag
def row_menu_button(label):
    """The kebab button of a table row's action menu: `{% row_menu_button c.name %}` — a tag, not an
    include, because list pages render it on every row."""
    return format_html(
        '<button class="btn btn-sm btn-light" type="button" data-bs-toggle="dropdown" aria-expanded="false" '
        'aria-label="Actions for {}"><i class="bi bi-three-dots-vertical" aria-hidden="true"></i></button>',
        label,
    )
