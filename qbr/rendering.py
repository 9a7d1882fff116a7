"""The QBR report as HTML (the browser preview and the PDF's source — one template) and as PDF.

`render_pdf(html)` is the ONE place WeasyPrint is called. It always uses `OwnFilesFetcher`, which
serves only the project's own static files and uploaded media, read from disk (or the configured
storage) — never the network, never a `file://` path, never another address: a logo or image URL
that points anywhere else is simply not fetched (WeasyPrint leaves the image out).
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from vcio.charts import accent_colour

from .report_sections import ReportData, ReportScope, gather_report
from .services import practice_zone

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; keep its warnings (e.g. a resource not fetched) only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The document's own origin: relative URLs (`/static/…`, `/media/…`) resolve against it. It names no
# real host; the fetcher never opens a connection to it (or to anything).
BASE_URL = "https://vcio-report.invalid/"


class RefusedURL(ValueError):
    """A resource the report may not load (anything but our own static and media files)."""


def _prefix(setting_url: str) -> str:
    return urljoin(BASE_URL, setting_url or "/")


def _relative_path(url: str, prefix: str) -> str | None:
    """The file path under `prefix` that `url` names, or None when it is not under it. Query and
    fragment are dropped; `..` segments, absolute paths and backslashes are refused."""
    if not url.startswith(prefix):
        return None
    rest = unquote(urlsplit(url[len(prefix) :]).path)
    if not rest or "\\" in rest or "\x00" in rest:
        raise RefusedURL(url)
    normal = posixpath.normpath(rest)
    if normal.startswith(("/", "..")) or normal in (".", ""):
        raise RefusedURL(url)
    return normal


def own_file(url: str) -> tuple[bytes, str]:
    """The bytes and content type of one of our own static or media files named by `url`; raises
    RefusedURL for every other URL (other hosts, other paths, file://, unknown schemes)."""
    static_path = _relative_path(url, _prefix(settings.STATIC_URL))
    if static_path is not None:
        if staticfiles_storage.exists(static_path):
            with staticfiles_storage.open(static_path) as handle:
                return handle.read(), _content_type(static_path)
        found = finders.find(static_path)
        if not found:
            raise RefusedURL(url)
        with open(found, "rb") as handle:
            return handle.read(), _content_type(static_path)
    media_path = _relative_path(url, _prefix(settings.MEDIA_URL))
    if media_path is not None:
        if not default_storage.exists(media_path):
            raise RefusedURL(url)
        with default_storage.open(media_path) as handle:
            return handle.read(), _content_type(media_path)
    raise RefusedURL(url)


def _content_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesFetcher(URLFetcher):
        """WeasyPrint's fetcher, narrowed to our own files. `data:` URLs (inline images) are decoded
        locally; nothing is ever fetched over the network or from the file system at large."""

        def __init__(self):
            super().__init__(allowed_protocols=("data", "https", "http"), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                body, content_type = own_file(url)
            except (RefusedURL, OSError, ValueError):
                self.refused.append(url)
                logger.info("QBR report: not fetching %s (only our own static and media files)", url[:200])
                raise RefusedURL(url) from None
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return OwnFilesFetcher


def render_pdf(html: str) -> bytes:
    """HTML (our template's output) -> PDF bytes. The one WeasyPrint call of the project."""
    import weasyprint

    fetcher = _fetcher_class()()
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


# --- the report's HTML ----------------------------------------------------------------------------


def report_scope(*, practice, client, period, today, meeting=None) -> ReportScope:
    return ReportScope(
        practice=practice,
        client=client,
        period=period,
        today=today,
        meeting=meeting,
        currency=practice.currency,
        accent=accent_colour(practice.brand_colour),
    )


def report_html(
    report_data: ReportData, *, report=None, preview: bool = False, request=None, extra: dict | None = None
) -> str:
    """The report's HTML: the PDF's source, and (with `preview`) the page the browser shows."""
    scope = report_data.scope
    period_start, period_end = scope.period.date_range(scope.client.fiscal_year_start_month)
    with timezone.override(practice_zone(scope.practice)):
        return render_to_string(
            "pdf/qbr/report.html",
            {
                "report_data": report_data,
                "scope": scope,
                "practice": scope.practice,
                "client": scope.client,
                "period": scope.period,
                "period_start": period_start,
                "period_end": period_end,
                "report": report,
                "preview": preview,
                "accent": scope.accent,
                "generated_at": timezone.localtime(timezone.now(), practice_zone(scope.practice)),
                "csp_nonce": str(getattr(request, "csp_nonce", "")) if request is not None else "",
                **(extra or {}),
            },
            request=request if preview else None,
        )


def build_report_html(
    *, practice, client, period, today, meeting=None, report=None
) -> tuple[ReportData, str]:
    data = gather_report(
        report_scope(practice=practice, client=client, period=period, today=today, meeting=meeting)
    )
    return data, report_html(data, report=report)
