"""Validators shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@deconstructible
class SingleLineValidator:
    """Names and titles are one line: no line breaks, tabs or other control characters (they
    break CSV headers, e-mail subjects and PDF layouts)."""

    message = "Use a single line without control characters."
    code = "single_line"

    def __call__(self, value):
        if value and _CONTROL.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator)


validate_single_line = SingleLineValidator()
