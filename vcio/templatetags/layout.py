"""`{% load layout %}`: the shared layout and a client's header, written in Python (vcio.layout_html)."""

from django import template

from vcio.layout_html import SHELL_END, client_header_html, head_html, shell_start_html

register = template.Library()


@register.simple_tag(takes_context=True)
def layout_head(context):
    """The head's icon, stylesheets, accent colour and scripts (base.html)."""
    return head_html(context.get("practice"), getattr(context.get("request"), "csp_nonce", ""))


@register.simple_tag(takes_context=True)
def layout_shell_start(context):
    """The sidebar and the top bar, up to the opening `<main>` (base.html)."""
    return shell_start_html(
        practice=context.get("practice"),
        sidebar=context.get("sidebar"),
        nav=context.get("nav"),
        switch_practices=context.get("switch_practices"),
        membership=context.get("membership"),
        user=context.get("user"),
        csrf_token=context.get("csrf_token"),
    )


@register.simple_tag
def layout_shell_end():
    """What closes `layout_shell_start`."""
    return SHELL_END


@register.simple_tag(takes_context=True)
def client_header(context):
    """A client's header and tabs (clients/_client_header.html)."""
    return client_header_html(
        practice=context["practice"],
        client=context["client"],
        can_edit=bool((context.get("can") or {}).get("edit")),
        tabs=context.get("tabs"),
        active_tab=context.get("active_tab"),
        csrf_token=context.get("csrf_token"),
    )
