"""Pieces named in REST_FRAMEWORK settings. Kept apart from `vcio.api` (which imports DRF's generic
views, which read these settings at import time).

The error format of the whole API:

- 400: `{"field": ["message", ...], "non_field_errors": ["message", ...]}` — always a JSON object
  of lists, whether the serializer, a filter, the JSON parser or a service refused the request.
- 401 / 403 / 404 / 405 / 415 / 429: `{"detail": "message"}`.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .listing import OnePassPaginator

MAX_PAGE_SIZE = 200


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (default 50, capped at 200 — a larger value gives 200 rows). The
    page and its `count` come from one statement (`OnePassPaginator`)."""

    django_paginator_class = OnePassPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"Rows per page (default 50, at most {MAX_PAGE_SIZE})."


def _django_validation_detail(exc: DjangoValidationError) -> dict:
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {
            (non_field if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {non_field: exc.messages}


def exception_handler(exc, context):
    """Errors as `{"field": ["message"]}` for 400s, `{"detail": "..."}` otherwise. A service's Django
    ValidationError is a 400, never a 500; an invalid JSON body is a 400 in the same shape."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):  # the same answer for "does not exist" and "not yours"
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or response.status_code != status.HTTP_400_BAD_REQUEST:
        return response
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    data = response.data
    if isinstance(data, list):
        response.data = {non_field: data}
    elif isinstance(data, dict) and set(data) == {"detail"} and isinstance(data["detail"], str):
        response.data = {non_field: [data["detail"]]}  # ParseError and other 400 APIExceptions
    return response
