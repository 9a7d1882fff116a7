"""Advisory bodies: Markdown rendered safely.

markdown-it-py's CommonMark preset with raw HTML disabled (so `<script>` is shown as text, never
parsed as a tag), then nh3 (the ammonia sanitiser) with an allow-list: formatting tags only, links
only to http, https and mailto (no relative, `javascript:` or `data:` URLs), `rel="noopener
noreferrer"` on every link, no attributes but `href`/`title` on links, no images (nothing is fetched).
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML (a str the caller may mark safe)."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(text: str, limit: int = 300) -> str:
    """The body as one line of plain text (list rows, CSV, initiative descriptions)."""
    cleaned = nh3.clean(_md.render(text or ""), tags=set())
    import html

    line = " ".join(html.unescape(cleaned).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
