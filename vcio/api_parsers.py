"""The API's one parser (named in REST_FRAMEWORK settings; a module of its own, as DRF's views read
the parser setting at import time): JSON only, anything else is a 415."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions, parsers, status

MAX_JSON_DEPTH = 32  # no request body of ours nests deeper than a few levels


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def _json_depth_exceeds(data, limit: int) -> bool:
    """Whether `data` nests lists/objects deeper than `limit` (iteratively: no recursion of ours)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what it would crash on: a body nested deeper than the
    interpreter's recursion limit (RecursionError) is a 400 like any invalid JSON, and so is one
    nested deeper than MAX_JSON_DEPTH (nothing of ours recurses over request data beyond that)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None
        except RequestDataTooBig:
            raise RequestTooLarge() from None
        if _json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                f"JSON parse error - the body is nested more than {MAX_JSON_DEPTH} levels deep."
            )
        return data
