"""The one base form: every model choice is scoped to the request's practice at construction."""

import datetime
from html import escape as html_escape

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, mark_safe

from .kept import kept_rows
from .models import is_tenant_model


class PracticeScopedForm(forms.ModelForm):
    """Pass `practice=`. Fails closed: every model choice field is scoped to that practice when the
    form is made —

    - a field over a tenant model offers only the practice's rows;
    - a field over users offers only the practice's members (narrow further in `scope_fields()`);
    - any other model choice field must get its queryset from the form itself, in `scope_fields()`:
      a field left unscoped refuses to build the form (ImproperlyConfigured), so it can never offer
      another practice's rows.
    """

    def __init__(self, *args, practice, **kwargs):
        if practice is None:
            raise ValueError("PracticeScopedForm needs a practice.")
        self.practice = practice
        super().__init__(*args, **kwargs)
        unscoped = {}
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            queryset = field.queryset
            if queryset is None:
                continue  # the form sets it in scope_fields() (checked below)
            if is_tenant_model(queryset.model):
                field.queryset = queryset.for_practice(practice)
            elif queryset.model is get_user_model():
                field.queryset = queryset.filter(memberships__practice_id=getattr(practice, "pk", practice))
            else:
                unscoped[name] = field.queryset
        self.scope_fields()
        left = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField)
            and (field.queryset is None or unscoped.get(name) is field.queryset)
        ]
        if left:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: the choices of {', '.join(left)} cannot be scoped to the practice; "
                "give them a queryset in scope_fields()."
            )
        style_fields(self)

    def scope_fields(self):
        """Hook for narrowing choices (a client's contacts, members who may edit) and for giving a
        queryset to choice fields over non-tenant models."""


def style_filter_bar(form) -> None:
    """`style_fields`, then every select of a filter bar made small and submitting the bar when it
    changes (`data-autosubmit`)."""
    style_fields(form)
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] += " form-select-sm"
            field.widget.attrs["data-autosubmit"] = ""


def choose_label(label) -> str:
    """ "Owner" -> "Choose an owner": the placeholder of a select."""
    text = str(label or "").strip().lower() or "one"
    return f"Choose {'an' if text[:1] in 'aeiou' else 'a'} {text}"


class ListChoiceIterator(forms.models.ModelChoiceIterator):
    """A model choice field's options read with one plain query. Django's iterator reads them with
    `.iterator()`, which on PostgreSQL opens a server-side cursor: DECLARE, FETCH and CLOSE, three
    round trips for a list of a few dozen members or goals (a filter bar had up to three). The rows
    become instances without `Model.__init__` where that is the same (`light_instances`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        kept = getattr(self.field, "kept_choices", None)
        if kept is not None and kept[0] is not self.queryset:  # the queryset was changed since
            kept = None
        if kept is not None and kept[4] is not None and type(self.field.widget) is FastSelect:
            _, key, owner, build, label = kept
            # (pk, label) rows: what FastSelect reads of an option (its value as text, its label)
            yield from kept_rows(
                ("choice-labels", key, label), owner, lambda o: build(o).values_list("pk", label)
            )
            return
        for obj in light_instances(self.queryset, kept=kept and kept[1:4]):
            yield self.choice(obj)


def kept_choices(field, key: str, owner, build, *, label: str | None = None) -> None:
    """Sets a model choice field's queryset to `build(owner)` — the same query for any client or
    practice `owner` but for its ids — and lets its options be read by a statement kept for any owner
    (`vcio.kept`) instead of one the ORM builds and compiles on every page: a filter bar offering
    a client's goals and the practice's members. Validation still uses the queryset.
    `label`: the column whose value is an option's label — what the field's `label_from_instance`
    gives (the model's `__str__`; the form's tests hold the two equal) — when the field is rendered
    by a FastSelect, its options are then read as (pk, label) rows, no instance made: a filter bar
    offering the practice's hundreds of clients."""
    field.queryset = build(owner)
    field.kept_choices = (field.queryset, key, owner, build, label)


def _loaded_attnames(queryset) -> list[str] | None:
    """The columns a plain queryset loads (its `only()` / `defer()`), or None when that is not plain."""
    opts = queryset.model._meta
    names, defer = queryset.query.deferred_loading
    try:
        named = {opts.get_field(name).attname for name in names}
    except FieldDoesNotExist:
        return None
    fields = opts.concrete_fields
    if defer:
        return [f.attname for f in fields if f.attname not in named]
    return [f.attname for f in fields if f.attname in named or f.primary_key]


def light_instances(queryset, kept: tuple | None = None, *, for_display: bool = False):
    """`list(queryset)` of a plain model queryset, each row made into an instance the way
    `Model.from_db` does but without `Model.__init__` (its per-field work is most of the cost of a
    select offering 250 clients): the loaded values set as attributes, deferred ones left to load on
    access, `_state` not adding and of the queryset's database. Only where `__init__` would do nothing
    more: no `from_db` of the model's own, no `pre_init`/`post_init` receiver for the model (an
    ImageField's dimensions, for one), no `select_related`, prefetch or annotation, model instances
    asked for; anything else is the queryset itself (tests/vcio/test_light_instances.py). `kept`:
    (key, owner, build) with `queryset` = `build(owner)`, the rows read by a kept statement.
    `for_display`: the instances are only shown, never saved — a model's own `from_db` (which keeps
    what was loaded for a later save, as `BudgetLine`'s does) is not needed and is skipped."""
    model = queryset.model
    query = queryset.query
    if (
        queryset._result_cache is not None
        or queryset._iterable_class is not ModelIterable
        or query.select_related
        or queryset._prefetch_related_lookups
        or query.annotations
        or query.extra
        or query.combinator
        or (not for_display and model.from_db.__func__ is not Model.from_db.__func__)  # keeps what it was
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return queryset
    attnames = _loaded_attnames(queryset)
    if attnames is None:
        return queryset
    db = queryset.db
    if kept:
        key, owner, build = kept
        rows = kept_rows(("choices", key, *attnames), owner, lambda o: build(o).values_list(*attnames))
    else:
        rows = queryset.values_list(*attnames)
    found = []
    for row in rows:
        obj = model.__new__(model)
        state = obj._state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(attnames, row, strict=True))
        found.append(obj)
    return found


class ZonedDateTimeMixin:
    """A date-time field whose value is in the current time zone (the practice's), as a value typed
    without an offset already is. An ISO 8601 input may carry any offset under 24 hours
    (`2026-03-01T10:00-23:21`); PostgreSQL refuses offsets beyond ±15:59 ("time zone displacement
    out of range", a 500 found by the API fuzzer). The same instant in the practice's zone filters
    and saves the same; one that has no date there (year 1 ahead of it) is an invalid date-time."""

    def to_python(self, value):
        result = super().to_python(value)
        if isinstance(result, datetime.datetime) and result.utcoffset() is not None:
            try:
                result = timezone.localtime(result)
            except OverflowError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return result


_ZONED_CLASSES: dict[type, type] = {}


def zoned_datetime_field(field_class: type) -> type:
    """`field_class` (a forms.DateTimeField) with its values in the current zone (`ZonedDateTimeMixin`)."""
    if issubclass(field_class, ZonedDateTimeMixin):
        return field_class
    if field_class not in _ZONED_CLASSES:
        _ZONED_CLASSES[field_class] = type(
            f"Zoned{field_class.__name__}", (ZonedDateTimeMixin, field_class), {}
        )
    return _ZONED_CLASSES[field_class]


def style_fields(form) -> None:
    """Bootstrap classes on every widget; selects get a real placeholder ("Choose an owner") instead
    of "---------"; model choices are read in one query (`ListChoiceIterator`); date-times are read
    into the practice's zone (`ZonedDateTimeMixin`); errors are marked in the template (`_field.html`)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateTimeField):
            field.__class__ = zoned_datetime_field(type(field))
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = ListChoiceIterator
            field.widget.choices = field.choices  # the widget kept an iterator of the old kind
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
            field.empty_label = choose_label(field.label or name.replace("_", " "))
        elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            field.choices = [
                ("", choose_label(field.label or name.replace("_", " ")))
                if value == "" and text == "---------"
                else (value, text)
                for value, text in field.choices
            ]
        widget = field.widget
        if type(widget) is forms.Select:
            widget.__class__ = FastSelect
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def run_service(form, service, **kwargs):
    """Call a service with the form's cleaned data; map its ValidationError onto the form's fields.

    Returns the service's result, or None when it refused (the form then carries the errors).
    """
    from django.core.exceptions import ValidationError

    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


class FastSelect(forms.Select):
    """A `<select>` rendered in Python. Django renders each option through a template (about 0.1 ms
    an option): a filter bar offering every member, goal and quarter then costs a page several
    milliseconds, more as the practice grows. Same markup as Django's (tests/test_fast_rendering.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Django's `optgroups` (what `get_context` builds) makes a dict per option and merges its
        # attributes: on a filter bar offering every member or client, more than the options' markup.
        # The same rules here: a group per nested list, None as "", only the first equal value
        # selected (a single select), labels escaped unless safe.
        wanted = set(self.format_value(value))
        out = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]
        selected = False
        for option_value, option_label in self.choices:
            grouped = isinstance(option_label, list | tuple)
            if grouped:
                out.append(format_html('<optgroup label="{}">', option_value))
            for value_, label in option_label if grouped else [(option_value, option_label)]:
                text = "" if value_ is None and not grouped else str(value_)
                mark = ""
                if not selected and text in wanted:
                    selected, mark = True, " selected"
                # a list of strings, not format_html per option: hundreds of clients; escaped as
                # Django's escape() and conditional_escape() would, without their lazy-string wrapper
                shown = label.__html__() if hasattr(label, "__html__") else html_escape(str(label))
                out.append(f'<option value="{html_escape(text)}"{mark}>{shown}</option>')
            if grouped:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


# The templates of Django's `<input>` widgets: each is `{% include "django/forms/widgets/input.html" %}`.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _as_text(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs_html(attrs: dict) -> str:
    """Django's `django/forms/widgets/attrs.html`: False leaves an attribute out, True writes its name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_as_text(value)}"'
        )
    return "".join(out)


class FastFormRenderer(DjangoTemplates):
    """Django's form renderer (`FORM_RENDERER`), with the `<input>` and `<textarea>` widgets written
    in Python. Each went through two templates (the widget's and its attributes' loop): about 0.2 ms
    a field, so a filter bar's three date and search fields cost a list page more than its rows. The
    markup is Django's, character for character (tests/test_fast_rendering.py compares the two for
    every template listed here); every other template is rendered as Django renders it."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if len(context) == 1 else None
        if widget is not None and template_name in _INPUT_TEMPLATES:
            value = widget["value"]
            value_html = "" if value is None else f' value="{_as_text(value)}"'
            return (
                f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
                f"{value_html}{_attrs_html(widget['attrs'])}>"
            )
        if (
            widget is not None
            and template_name == _TEXTAREA_TEMPLATE
            and isinstance(widget["value"], str | None)
        ):
            value = widget["value"]
            return (
                f'<textarea name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>\n'
                f"{conditional_escape(value) if value else ''}</textarea>"
            )
        return super().render(template_name, context, request)
