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


@deconstructible
class SensibleYearValidator:
    """Dates and times of planning work lie in 2000–2100 (as fiscal quarters do): a year such as 1276
    is a typo, and before 1900 time zones had local-mean-time offsets with seconds that ISO 8601
    answers (and calendars) cannot carry."""

    first, last = 2000, 2100
    code = "year_range"

    def __call__(self, value):
        if value is not None and not (self.first <= value.year <= self.last):
            raise ValidationError(
                f"Choose a date between the years {self.first} and {self.last}.", code=self.code
            )

    def __eq__(self, other):
        return isinstance(other, SensibleYearValidator)


validate_sensible_year = SensibleYearValidator()
