"""Comparing markup written in Python with the template it replaced."""

import re


def normalised_html(html: str) -> str:
    """`html` with every run of white space one space, and none between two tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
